/**
 * A worker thread as Python's threading.Thread: start it with data, hear from it by message, wait for it to finish
 * (join), and see what happens when it throws: the main thread gets the error and exit code 1, and carries on. It
 * mirrors tutorial 000 §2.2 and §4.2 (threading.Thread, start, join). Each worker has its own event loop and memory;
 * they share only what is sent.
 *
 * Run:    node examples/02-threads/src/thread-basics.ts
 * Try:    node examples/02-threads/src/thread-basics.ts --up-to 5
 * Expect: progress lines from each worker, "joined counter: sum 6, exit code 0", then
 *         "joined quitter: threw <error>, exit code 1", and "main thread still running"
 * Stop:   it exits by itself (exit 0)
 */
import { Worker } from 'node:worker_threads';
import * as cli from './cli.ts';

const { upTo } = cli.parseFlags(
  { name: 'thread-basics', about: 'Starts two worker threads that add up 1..N; the second one throws at the end.' },
  { upTo: cli.integer(3, 'how far each worker counts', { min: 1, max: 1000 }) },
);

type WorkerMessage = { kind: 'progress'; text: string } | { kind: 'result'; sum: number };

// Starts a worker (Thread(target=...).start()) and returns a promise that settles when it has
// exited (join()). Messages arrive on the main thread's event loop, in the order they were sent.
// A worker inherits the process's flags (execArgv); under tsx those load a TypeScript loader into
// every thread, which this plain JavaScript worker does not need, so it starts with none.
async function runWorker(name: string, fail: boolean): Promise<void> {
  console.log(`main: starting ${name}`);
  const worker = new Worker(new URL('./thread-basics-worker.mjs', import.meta.url), {
    workerData: { name, upTo, fail },
    execArgv: [],
  });
  let sum: number | undefined;
  worker.on('message', (message: WorkerMessage) => {
    if (message.kind === 'progress') console.log(`  ${message.text}`);
    else sum = message.sum;
  });
  // An exception thrown in the worker arrives as 'error' (on its own channel, so possibly before
  // the last messages); the worker then exits with code 1. Report it once the worker has exited.
  let failure: Error | undefined;
  worker.on('error', (error) => {
    failure = error;
  });
  const exitCode = await new Promise<number>((resolve) => worker.once('exit', resolve));
  const outcome = failure ? `threw "${failure.message}"` : `sum ${sum}`;
  console.log(`main: joined ${name}: ${outcome}, exit code ${exitCode}`);
}

await runWorker('counter', false);
await runWorker('quitter', true);
console.log('main thread still running');
