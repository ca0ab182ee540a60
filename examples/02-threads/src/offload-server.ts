/**
 * An HTTP server that keeps answering while it does heavy CPU work, because the work runs on a pool of worker threads
 * (worker-pool.ts) and not on the event loop. With --inline the same work runs on the main thread, and every other
 * request, even /ping, waits behind it. It answers the tutorials' thread-per-client server (003 §8.2, 000 §3.2): in
 * Node, threads are for CPU work, not for connections. The pool's queue is bounded: when it is full the answer is 503,
 * not more memory.
 *
 * Run:    node examples/02-threads/src/offload-server.ts            (or add --inline)
 * Try:    curl 'http://127.0.0.1:8090/cpu?ms=2000' & curl http://127.0.0.1:8090/ping
 * Expect: "pong" at once (with --inline: only after the 2 s of work), then the /cpu result as JSON; the server
 *         logs "cpu job of <ms> ms accepted, <n> ahead of it in the queue"
 * Stop:   Ctrl+C prints "SIGINT: stopping, <n> request(s) in flight", lets them finish, then "stopped"
 */
import http from 'node:http';
import { availableParallelism } from 'node:os';
import * as cli from './cli.ts';
import { burnCpu } from './cpu-work.mjs';
import { QueueFullError, WorkerPool } from './worker-pool.ts';

const flags = cli.parseFlags(
  {
    name: 'offload-server',
    about:
      'GET /ping answers at once; GET /cpu?ms=N does N ms of CPU work on a worker thread; GET /crash runs a job that kills its thread, to show the pool replacing it.',
  },
  {
    ...cli.listenOn(8090),
    inline: cli.toggle('do the work on the main thread instead (to see the event loop block)'),
    threads: cli.integer(availableParallelism(), 'worker threads in the pool; the default is one per core', {
      min: 1,
      max: 256,
    }),
    queue: cli.integer(64, 'jobs that may wait for a thread; beyond that, 503', { max: 100_000 }),
    maxMs: cli.duration(10_000, 'the largest ms a request may ask for'),
    shutdownTimeout: cli.duration(15_000, 'on SIGINT/SIGTERM, wait at most MS for requests in flight', 0),
  },
);
const { host, port, inline, maxMs, shutdownTimeout } = flags;
const pool = inline
  ? undefined
  : new WorkerPool(new URL('./cpu-worker.mjs', import.meta.url), flags.threads, flags.queue);

function reply(response: http.ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}) {
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
    if (error instanceof QueueFullError) reply(response, 503, `busy: ${error.message}`, { 'retry-after': '1' });
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
function shutdown(signal: NodeJS.Signals): void {
  if (cli.alreadyStopping(signal)) return;
  console.log(`${signal}: stopping, ${inFlight.size} request(s) in flight`);
  server.close(async () => {
    await pool?.close();
    console.log('stopped');
  });
  server.closeIdleConnections();
  setTimeout(() => {
    console.error(`error: requests still running after ${shutdownTimeout} ms; exiting`);
    process.exit(1);
  }, shutdownTimeout).unref();
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

// Start-up failures (port in use, permission denied) are expected: one line, exit 1.
server.on('error', (error) => cli.cannotListen(error, host, port));
server.listen({ host, port }, () => {
  console.log(pool ? `pool of ${pool.size} worker threads, queue of ${pool.maxQueue}` : 'working inline');
  cli.printListening('http', server.address());
});
