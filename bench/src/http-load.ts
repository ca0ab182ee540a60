/** HTTP load with autocannon, the well-kept tool for it, in this process. */
import autocannon from 'autocannon';
import type { LoadResult } from './load.ts';

export async function httpLoad(options: {
  port: number;
  path: string;
  connections: number;
  durationMs: number;
}): Promise<LoadResult> {
  const result = await autocannon({
    url: `http://127.0.0.1:${options.port}${options.path}`,
    connections: options.connections,
    duration: options.durationMs / 1000,
  });
  return {
    // autocannon may run a little past the asked duration; divide by the time it really ran.
    requestsPerSecond: result.requests.total / Math.max(result.duration, options.durationMs / 1000),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.non2xx + result.timeouts,
  };
}
