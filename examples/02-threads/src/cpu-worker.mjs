/**
 * A thread of offload-server.ts's pool: it waits for jobs, runs each one and posts the result back.
 * A job with `crash` set ends the thread (process.exit in a worker ends only that worker), to show
 * the pool replacing it. Plain JavaScript: see the README.
 */
import { parentPort } from 'node:worker_threads';
import { burnCpu } from './cpu-work.mjs';

parentPort?.on('message', (/** @type {{ ms: number, crash?: boolean }} */ job) => {
  if (job.crash) process.exit(1);
  parentPort?.postMessage(burnCpu(job.ms));
});
