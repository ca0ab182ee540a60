/**
 * cluster-server's supervisor, in the primary process: it forks the workers, says it is ready once every one of them
 * accepts connections, and replaces a worker that dies unasked after a growing, capped delay. A worker that cannot
 * listen (port in use) makes the whole cluster exit 1 with that reason, once.
 */
import cluster, { type Worker } from 'node:cluster';
import * as cli from './cli.ts';

export function supervise({ workerCount, host, port }: { workerCount: number; host: string; port: number }) {
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

  for (let i = 0; i < workerCount; i++) start();
  return {
    /** Stops replacing workers and returns those still running, for the shutdown to stop. */
    stop(): Worker[] {
      stopping = true;
      return Object.values(cluster.workers ?? {}).filter((worker) => worker !== undefined);
    },
  };
}
