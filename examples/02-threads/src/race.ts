/**
 * A race condition, made visible: several worker threads add 1 to one counter in shared memory. Unsynchronized,
 * updates are lost; with Atomics.add, or with a Lock around the update, the count is exact. It mirrors the Lock that
 * tutorial 000 §3.2 names for synchronizing threads (threading.Lock around a shared variable), with real parallel
 * threads: unlike CPython's, Node's workers run at the same time.
 *
 * Run:    node examples/02-threads/src/race.ts
 * Try:    node examples/02-threads/src/race.ts --workers 8 --increments 100000
 * Expect: "unsynchronized: <fewer> of <total>", "atomics: <total> of <total>", "lock: <total> of <total>",
 *         where total is workers × increments (4000000 by default)
 * Stop:   it exits by itself (exit 0), in about a second
 */
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import * as cli from './cli.ts';

const { workers: workerCount, increments } = cli.parseFlags(
  {
    name: 'race',
    about:
      'Runs N workers that each add 1 to a shared counter, once per strategy: unsynchronized, atomics (Atomics.add) and lock (a Lock built on Atomics.wait/notify).',
  },
  {
    workers: cli.integer(4, 'worker threads per strategy', { min: 1, max: 64 }),
    increments: cli.integer(1_000_000, 'additions per worker', { min: 1 }),
  },
);
// The counter is a 32-bit integer, so the total must fit in one.
const expected = workerCount * increments;
if (expected >= 2 ** 31) cli.fail(`--workers × --increments must be below 2147483648, got ${expected}`);

// Shared memory: [counter, lock, start flag]. Every worker sees the same bytes; postMessage
// would have copied them instead.
const COUNTER = 0;
const START = 2;

async function run(strategy: string): Promise<number> {
  const memory = new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT);
  const cells = new Int32Array(memory);
  const workers = Array.from(
    { length: workerCount },
    () =>
      new Worker(new URL('./race-worker.mjs', import.meta.url), {
        workerData: { memory, strategy, increments },
        execArgv: [], // plain JavaScript: no TypeScript loader in each thread (see thread-basics.ts)
      }),
  );
  // Join (like Thread.join): wait for every worker to exit; an error in one is reported.
  const joined = workers.map(async (worker) => {
    const [code] = await once(worker, 'exit');
    if (code !== 0) throw new Error(`a ${strategy} worker exited with code ${code}`);
  });
  // The start barrier: once every worker is waiting at the line, release them all at once.
  await Promise.all(workers.map((worker) => once(worker, 'message')));
  Atomics.store(cells, START, 1);
  Atomics.notify(cells, START);
  await Promise.all(joined);
  return Atomics.load(cells, COUNTER);
}

for (const strategy of ['unsynchronized', 'atomics', 'lock']) {
  console.log(`${strategy}: ${await run(strategy)} of ${expected}`);
}
