/**
 * HTTP load: wrk (C, from Debian's `wrk` package) when it is installed, since a generator must be
 * faster than the fastest server it drives; otherwise autocannon with worker threads. The table's
 * "load generator ceiling" row shows which was used and how far it can go.
 */
import { execFileSync } from 'node:child_process';
import autocannon from 'autocannon';
import { execa } from 'execa';
import type { LoadResult } from './load.ts';
import { onGeneratorCore } from './pin.ts';

interface HttpLoadOptions {
  port: number;
  path: string;
  connections: number;
  durationMs: number;
  /** Runs wrk on the generator's core (pin.ts), for a server pinned to the other. */
  pinned?: boolean;
}

function wrkInstalled(): boolean {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
    return true;
  } catch (error) {
    // wrk --version prints its version and exits 1; only a missing binary is ENOENT.
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}
export const httpGenerator = wrkInstalled() ? 'wrk, 1 thread' : 'autocannon, 2 workers';

export function httpLoad(options: HttpLoadOptions): Promise<LoadResult> {
  return httpGenerator.startsWith('wrk') ? wrkLoad(options) : autocannonLoad(options);
}

/** wrk's durations and latencies come with units: 850.00us, 1.23ms, 2.00s. */
function milliseconds(text: string | undefined): number {
  const match = /^([\d.]+)(us|ms|s|m)$/.exec(text ?? '');
  if (!match) return Number.NaN;
  return Number(match[1]) * { us: 0.001, ms: 1, s: 1000, m: 60_000 }[match[2] as 'us' | 'ms' | 's' | 'm'];
}

async function wrkLoad({ port, path, connections, durationMs, pinned }: HttpLoadOptions): Promise<LoadResult> {
  const seconds = Math.max(1, Math.round(durationMs / 1000));
  const args = ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', `http://127.0.0.1:${port}${path}`];
  const [command, commandArgs] = pinned ? onGeneratorCore('wrk', args) : ['wrk', args];
  const { stdout } = await execa(command, commandArgs, { timeout: (seconds + 30) * 1000 });
  const count = (pattern: RegExp) => Number(pattern.exec(stdout)?.[1] ?? 0);
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(stdout);
  return {
    requestsPerSecond: Number(/^Requests\/sec:\s+([\d.]+)/m.exec(stdout)?.[1]),
    p50Ms: milliseconds(/^\s+50%\s+(\S+)/m.exec(stdout)?.[1]),
    p99Ms: milliseconds(/^\s+99%\s+(\S+)/m.exec(stdout)?.[1]),
    errors:
      count(/Non-2xx or 3xx responses: (\d+)/) +
      (socketErrors?.slice(1).reduce((sum, value) => sum + Number(value), 0) ?? 0),
  };
}

async function autocannonLoad({ port, path, connections, durationMs }: HttpLoadOptions): Promise<LoadResult> {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}${path}`,
    connections,
    duration: durationMs / 1000,
    workers: durationMs >= 1000 ? 2 : undefined,
  });
  return {
    // autocannon may run a little past the asked duration; divide by the time it really ran.
    requestsPerSecond: result.requests.total / Math.max(result.duration, durationMs / 1000),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.non2xx + result.timeouts,
  };
}
