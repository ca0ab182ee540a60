/**
 * CPU-bound work for offload-server.ts: hash a buffer over and over for about `ms` milliseconds.
 * The digest is returned so the work cannot be optimised away. Plain JavaScript because it also
 * runs inside worker threads, which load it directly (see the README).
 */
import { createHash } from 'node:crypto';

/** @param {number} ms @returns {{ rounds: number, digest: string }} */
export function burnCpu(ms) {
  const until = performance.now() + ms;
  let digest = Buffer.alloc(32);
  let rounds = 0;
  while (performance.now() < until) {
    digest = createHash('sha256').update(digest).digest();
    rounds++;
  }
  return { rounds, digest: digest.toString('hex').slice(0, 16) };
}
