/**
 * HTTPS load for the board's rows, verified by the development CA like any client of the board: `connections`
 * keep-alive connections in worker threads, each sending GET requests one after another for `durationMs`, with
 * the headers given (a session cookie, say). autocannon and wrk both skip certificate verification, which no
 * client here may do; the handshake happens once per connection, so verifying costs nothing per request.
 */
import { inWorkers, type LoadResult } from './load.ts';

export interface HttpsLoadOptions {
  port: number;
  path: string;
  ca: string;
  headers?: Record<string, string>;
  connections: number;
  durationMs: number;
  threads?: number;
}

export function httpsLoad(options: HttpsLoadOptions): Promise<LoadResult> {
  return inWorkers(new URL('./board-load-worker.mjs', import.meta.url), options, options.threads ?? 2);
}
