/**
 * An HTTP server that keeps answering while it does heavy CPU work, because the work runs on a
 * pool of worker threads (worker-pool.ts) and not on the event loop. With --inline the same work
 * runs on the main thread, and every other request, even /ping, waits behind it. It answers the
 * tutorials' thread-per-client server (003 §8.2, 000 §3.2): in Node, threads are for CPU work, not
 * for connections. The pool's queue is bounded: when it is full the answer is 503, not more memory.
 *
 * Run:    npx tsx examples/02-threads/src/offload-server.ts            (or add --inline)
 * Try:    curl 'http://127.0.0.1:8090/cpu?ms=2000' & curl http://127.0.0.1:8090/ping
 * Expect: "pong" at once (with --inline: only after the 2 s of work), then the /cpu result as JSON
 * Stop:   Ctrl+C prints "SIGINT: stopping, N request(s) in flight", lets them finish, then "stopped"
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { burnCpu } from './cpu-work.mjs';
import { QueueFullError, WorkerPool } from './worker-pool.ts';

const usage =
  'usage: offload-server [--host HOST] [--port PORT] [--inline] [--threads N] [--queue N] [--max-ms MS] [--shutdown-timeout MS]';
const help = `${usage}

GET /ping answers at once; GET /cpu?ms=N does N ms of CPU work on a worker thread;
GET /crash runs a job that kills its thread, to show the pool replacing it.

  --host HOST             address to listen on (default: $HOST or 127.0.0.1)
  --port PORT             port to listen on, 0 for any free port (default: $PORT or 8090)
  --inline                do the work on the main thread instead (to see the event loop block)
  --threads N             worker threads in the pool (default: the number of cores)
  --queue N               jobs that may wait for a thread; beyond that, 503 (default: 64)
  --max-ms MS             the largest ms a request may ask for (default: 10000)
  --shutdown-timeout MS   on SIGINT/SIGTERM, wait at most MS for requests in flight (default: 15000)
  --help                  print this help and exit`;

let flags: Record<string, string | boolean | undefined>;
try {
  flags = parseArgs({
    options: {
      host: { type: 'string', default: process.env.HOST ?? '127.0.0.1' },
      port: { type: 'string', default: process.env.PORT ?? '8090' },
      inline: { type: 'boolean', default: false },
      threads: { type: 'string', default: String(availableParallelism()) },
      queue: { type: 'string', default: '64' },
      'max-ms': { type: 'string', default: '10000' },
      'shutdown-timeout': { type: 'string', default: '15000' },
      help: { type: 'boolean', default: false },
    },
  }).values;
} catch (error) {
  console.error(`${(error as Error).message}. ${usage}`);
  process.exit(2);
}
if (flags.help) {
  console.log(help);
  process.exit(0);
}
function integerFlag(name: string, min: number, max: number): number {
  const text = String(flags[name]);
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    console.error(`error: --${name} must be an integer from ${min} to ${max}, got '${text}'`);
    process.exit(1);
  }
  return value;
}
const host = String(flags.host);
const port = integerFlag('port', 0, 65535);
const inline = flags.inline === true;
const maxMs = integerFlag('max-ms', 1, 600_000);
const shutdownTimeoutMs = integerFlag('shutdown-timeout', 0, 600_000);
const pool = inline
  ? undefined
  : new WorkerPool(
      new URL('./cpu-worker.mjs', import.meta.url),
      integerFlag('threads', 1, 256),
      integerFlag('queue', 0, 100_000),
    );

function reply(
  response: http.ServerResponse,
  status: number,
  body: unknown,
  headers: http.OutgoingHttpHeaders = {},
) {
  const text = typeof body === 'string' ? `${body}\n` : `${JSON.stringify(body)}\n`;
  const type = typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json';
  response.writeHead(status, { 'content-type': type, ...headers }).end(text);
}

// One CPU job, on the pool or (with --inline) right here on the event loop, which then can do
// nothing else until it returns.
async function work(ms: number, crash = false): Promise<unknown> {
  const started = performance.now();
  const result = pool ? await pool.run({ ms, crash }) : burnCpu(ms);
  return {
    ms,
    on: pool ? 'worker thread' : 'main thread',
    tookMs: Math.round(performance.now() - started),
    result,
  };
}

async function handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  if (request.method !== 'GET') return reply(response, 405, 'only GET here', { allow: 'GET' });
  if (url.pathname === '/ping') return reply(response, 200, 'pong');
  if (url.pathname === '/cpu') {
    const text = url.searchParams.get('ms') ?? '';
    const ms = Number(text);
    if (!/^\d+$/.test(text) || ms < 1 || ms > maxMs) return reply(response, 400, `ms must be 1 to ${maxMs}`);
    console.log(`cpu job of ${ms} ms accepted${pool ? `, ${pool.queued} ahead of it in the queue` : ''}`);
    return reply(response, 200, await work(ms));
  }
  if (url.pathname === '/crash') {
    if (!pool) return reply(response, 400, 'there is no pool to crash with --inline');
    return reply(response, 200, await work(1, true));
  }
  reply(response, 404, 'not found: try /ping, /cpu?ms=100 or /crash');
}

// Each request's failure is its own: a full queue is 503 (try again later), a crashed worker 500.
const inFlight = new Set<http.ServerResponse>();
const server = http.createServer((request, response) => {
  inFlight.add(response);
  response.on('close', () => inFlight.delete(response));
  handle(request, response).catch((error: Error) => {
    if (error instanceof QueueFullError)
      reply(response, 503, `busy: ${error.message}`, { 'retry-after': '1' });
    else {
      console.error(`error ${request.method} ${request.url}: ${error.message}`);
      reply(response, 500, 'internal error: the job failed');
    }
  });
});
// Bounds on slow clients: headers within 10 s, a whole request within 30 s, idle keep-alive 5 s.
server.headersTimeout = 10_000;
server.requestTimeout = 30_000;
server.keepAliveTimeout = 5_000;

// Shutdown: stop accepting, close idle keep-alive connections, let requests in flight finish
// (a queued job still runs), then stop the threads. Past the deadline, cut what is left.
let stopping = false;
function shutdown(signal: NodeJS.Signals): void {
  if (stopping) process.exit(1);
  stopping = true;
  console.log(`${signal}: stopping, ${inFlight.size} request(s) in flight`);
  server.close(async () => {
    await pool?.close();
    console.log('stopped');
  });
  server.closeIdleConnections();
  setTimeout(() => {
    console.error(`error: requests still running after ${shutdownTimeoutMs} ms; exiting`);
    process.exit(1);
  }, shutdownTimeoutMs).unref();
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

const reasons: Record<string, string> = {
  EADDRINUSE: 'address already in use',
  EACCES: 'permission denied',
  EADDRNOTAVAIL: 'address not available on this machine',
  ENOTFOUND: 'unknown host',
};
server.on('error', (error: NodeJS.ErrnoException) => {
  const reason = reasons[error.code ?? ''] ?? error.message;
  console.error(`error: cannot listen on ${host}:${port}: ${reason} (${error.code})`);
  process.exit(1);
});
server.listen({ host, port }, () => {
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  console.log(pool ? `pool of ${pool.size} worker threads, queue of ${pool.maxQueue}` : 'working inline');
  console.log(`listening on http://${shownHost}:${address.port}`);
});
