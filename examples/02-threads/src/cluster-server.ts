/**
 * One port, several processes: node:cluster forks worker processes that all accept connections on the same listening
 * socket, so an HTTP server uses every core. The primary process supervises (cluster-supervisor.ts): a worker that
 * dies is replaced after a growing, capped delay, and SIGTERM drains and stops them all. It is the process-based
 * answer to the tutorials' thread-per-client server (003 §8.2) and their multiprocessing section (000 §2.2); GET /
 * says which worker process answered.
 *
 * Run:    node examples/02-threads/src/cluster-server.ts --workers 2
 * Try:    for i in 1 2 3 4; do curl -s http://127.0.0.1:8091/; done
 * Expect: JSON lines whose "pid" differs from one request to the next
 * Stop:   Ctrl+C prints "SIGINT: stopping 2 worker(s)", then "stopped" once every worker has exited
 */
import cluster from 'node:cluster';
import http from 'node:http';
import { availableParallelism } from 'node:os';
import * as cli from './cli.ts';
import { supervise } from './cluster-supervisor.ts';

const flags = cli.parseFlags(
  { name: 'cluster-server', about: "Runs N worker processes behind one port; GET / answers with the worker's pid." },
  {
    ...cli.listenOn(8091),
    workers: cli.integer(availableParallelism(), 'worker processes (default: one per core)', { min: 1, max: 64 }),
    shutdownTimeout: cli.duration(10_000, 'on SIGINT/SIGTERM, wait at most MS for workers to finish', 0),
  },
);
const { host, port, workers: workerCount, shutdownTimeout } = flags;

if (cluster.isPrimary) {
  // The primary runs no HTTP server of its own: it forks the workers and watches them
  // (cluster-supervisor.ts). Each worker runs this same file (cluster.isPrimary is false there).
  const supervisor = supervise({ workerCount, host, port });

  // Shutdown: disconnect() tells each worker to stop accepting and exit once its requests are
  // done. A worker has disconnected before it has exited, so "stopped" waits for the last exit;
  // then the primary has nothing left and exits 0.
  const shutdown = (signal: NodeJS.Signals) => {
    if (cli.alreadyStopping(signal)) return;
    const workers = supervisor.stop();
    console.log(`${signal}: stopping ${workers.length} worker(s)`);
    let running = workers.length;
    if (running === 0) console.log('stopped');
    cluster.on('exit', () => --running === 0 && console.log('stopped'));
    cluster.disconnect();
    setTimeout(() => {
      console.error(`error: workers still running after ${shutdownTimeout} ms; killing them`);
      for (const worker of workers) worker.process.kill('SIGKILL');
      process.exit(1);
    }, shutdownTimeout).unref();
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
} else {
  // A worker: an ordinary HTTP server. listen() here asks the primary for the shared socket.
  let served = 0;
  const server = http.createServer((request, response) => {
    served++;
    const body = { pid: process.pid, served, url: request.url };
    response.writeHead(200, { 'content-type': 'application/json' }).end(`${JSON.stringify(body)}\n`);
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.keepAliveTimeout = 5_000;
  server.on('error', (error) => process.send?.({ listenError: cli.explain(error) }, () => process.exit(1)));
  // Ctrl+C reaches every process of the terminal's group; the primary decides how workers stop.
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => {});
  // Node's cluster closes a worker's servers itself when the primary disconnects it; Bun's does
  // not, so the worker closes its own. Either way it then exits once its last response is sent.
  cluster.worker?.on('disconnect', () => server.close());
  server.listen({ host, port });
}
