/**
 * The load generator for the TCP and UDP echo benchmarks: several worker threads, each driving a
 * share of the connections, so the client side is not one busy event loop. Its own ceiling is
 * the row measured against the bare baseline. HTTP load is autocannon's (see http-load.ts).
 */
import { Worker } from 'node:worker_threads';

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

export async function echoLoad(options: {
  kind: 'tcp' | 'tls' | 'udp';
  /** The CA to verify a TLS server against (PEM). */
  ca?: string;
  port: number;
  connections: number;
  size: number;
  durationMs: number;
  threads: number;
}): Promise<LoadResult> {
  return inWorkers(new URL('./load-worker.mjs', import.meta.url), options, options.threads);
}

/**
 * Runs a load worker (load-worker.mjs, board-load-worker.mjs) in `threads` threads, each driving its share of
 * `options.connections`, and adds up what they counted: requests a second, p50 and p99 of every latency, errors.
 */
export async function inWorkers(
  worker: URL,
  options: { connections: number; durationMs: number },
  threadCount: number,
): Promise<LoadResult> {
  const threads = Math.min(threadCount, options.connections);
  const shares = Array.from(
    { length: threads },
    (_, i) => Math.floor(options.connections / threads) + (i < options.connections % threads ? 1 : 0),
  );
  const results = await Promise.all(
    shares.map(
      (connections) =>
        new Promise<{ completed: number; errors: number; samples: Float64Array }>((resolve, reject) => {
          const thread = new Worker(worker, { workerData: { ...options, connections }, execArgv: [] });
          thread.once('message', resolve);
          thread.once('error', reject);
        }),
    ),
  );
  const samples = Float64Array.from(results.flatMap((result) => [...result.samples])).sort();
  const percentile = (p: number) => samples[Math.min(samples.length - 1, Math.floor(samples.length * p))] ?? 0;
  const completed = results.reduce((sum, result) => sum + result.completed, 0);
  return {
    requestsPerSecond: completed / (options.durationMs / 1000),
    p50Ms: percentile(0.5),
    p99Ms: percentile(0.99),
    errors: results.reduce((sum, result) => sum + result.errors, 0),
  };
}
