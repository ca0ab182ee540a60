/**
 * One port, several processes: node:cluster forks worker processes that all accept connections on the same listening
 * socket, so an HTTP server uses every core. The primary process supervises: a worker that dies is replaced after a
 * growing, capped delay, and SIGTERM drains and stops them all. It is the process-based answer to the tutorials'
 * thread-per-client server (003 §8.2) and their multiprocessing section (000 §2.2); GET / says which worker process
 * answered.
 *
 * Run:    node examples/02-threads/src/cluster-server.ts --workers 2
 * Try:    for i in 1 2 3 4; do curl -s http://127.0.0.1:8091/; done
 * Expect: JSON lines whose "pid" differs from one request to the next
 * Stop:   Ctrl+C prints "SIGINT: stopping 2 worker(s)", then "stopped" once every worker has exited
 */
import cluster, { type Worker } from 'node:cluster';
import http from 'node:http';
import { availableParallelism } from 'node:os';
import * as cli from './cli.ts';

const {
  host,
  port,
  workers: workerCount,
  shutdownTimeout,
} = cli.parseFlags(
  {
    name: 'cluster-server',
    about: "Runs N worker processes behind one port; GET / answers JSON with the worker's pid.",
  },
  {
    ...cli.listenOn(8091),
    workers: cli.integer(availableParallelism(), 'worker processes; the default is one per core', {
      min: 1,
      max: 64,
    }),
    shutdownTimeout: cli.duration(10_000, 'on SIGINT/SIGTERM, wait at most MS for workers to finish', 0),
  },
);

if (cluster.isPrimary) {
  // The primary runs no HTTP server of its own: it forks the workers and watches them.
  // Each worker runs this same file (cluster.isPrimary is false there) with the same flags.
  let stopping = false;
  let ready = false;
  let restartDelayMs = 100;
  const maxRestartDelayMs = 5000;

  const start = (): Worker => {
    const worker = cluster.fork();
    // An IPC failure with one worker (it died while the primary was writing to it) is that
    // worker's problem, which 'exit' below deals with; it must not take the primary down.
    worker.on('error', (error: NodeJS.ErrnoException) => {
      if (!stopping) console.error(`error: worker ${worker.process.pid}: ${error.code ?? error.message}`);
    });
    // A worker that cannot listen (port in use) reports why; that is a start-up failure. Every
    // worker gets the same error and exits by itself, and then so does the primary, with code 1.
    // (Killing them instead would leave the primary writing to closed IPC channels.)
    worker.on('message', (message: { listenError?: string }) => {
      if (!message.listenError || ready || stopping) return;
      stopping = true;
      process.exitCode = 1;
      console.error(`error: cannot listen on ${host}:${port}: ${message.listenError}`);
      setTimeout(() => {
        for (const other of Object.values(cluster.workers ?? {})) other?.process.kill('SIGKILL');
        process.exit(1);
      }, 2000).unref();
    });
    return worker;
  };

  const listening = new Set<number>();
  cluster.on('listening', (worker, address) => {
    listening.add(worker.id);
    if (ready || listening.size < workerCount) return;
    // The readiness line waits until every worker accepts connections.
    ready = true;
    console.log(`${workerCount} workers ready`);
    cli.printListening('http', { ...address, family: address.addressType === 6 ? 'IPv6' : 'IPv4' });
  });

  // Supervision: a worker that dies unasked is replaced. The delay doubles with each death
  // (capped), so a worker that crashes at start-up cannot make the primary fork in a tight loop;
  // it resets once a replacement has stayed up for a while.
  cluster.on('exit', (worker, code, signal) => {
    if (stopping || worker.exitedAfterDisconnect) return;
    console.log(
      `worker ${worker.process.pid} died (${signal ?? `code ${code}`}); replacing it in ${restartDelayMs} ms`,
    );
    setTimeout(() => {
      if (stopping) return;
      const replacement = start();
      replacement.once('listening', () => {
        console.log(`worker ${replacement.process.pid} replaced it`);
        setTimeout(() => {
          if (replacement.isConnected()) restartDelayMs = 100;
        }, 10_000).unref();
      });
    }, restartDelayMs);
    restartDelayMs = Math.min(restartDelayMs * 2, maxRestartDelayMs);
  });

  // Shutdown: disconnect() tells each worker to stop accepting and exit once its requests are
  // done. A worker has disconnected before it has exited, so "stopped" waits for the last exit;
  // then the primary has nothing left and exits 0.
  const shutdown = (signal: NodeJS.Signals) => {
    if (cli.alreadyStopping(signal)) return;
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter((worker) => worker !== undefined);
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

  for (let i = 0; i < workerCount; i++) start();
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
  server.listen({ host, port });
}
