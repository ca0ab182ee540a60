/**
 * A race condition, made visible: several worker threads add 1 to one counter in shared memory.
 * Unsynchronized, updates are lost; with Atomics.add, or with a Lock around the update, the count
 * is exact. It mirrors the Lock example of tutorial 000 §3.2 (threading.Lock around a shared
 * variable), with real parallel threads: unlike CPython's, Node's workers run at the same time.
 *
 * Run:    npx tsx examples/02-threads/src/race.ts
 * Try:    npx tsx examples/02-threads/src/race.ts --workers 8 --increments 100000
 * Expect: "unsynchronized: <less> of 4000000", "atomics: 4000000 of 4000000", "lock: 4000000 of 4000000"
 * Stop:   it exits by itself (exit 0), in about a second
 */
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';

const usage = 'usage: race [--workers N] [--increments N]';
const help = `${usage}

Runs N workers that each add 1 to a shared counter, once per strategy:
unsynchronized, atomics (Atomics.add) and lock (a Lock built on Atomics.wait/notify).

  --workers N      worker threads per strategy (default: 4)
  --increments N   additions per worker (default: 1000000)
  --help           print this help and exit`;

let flags: Record<string, string | boolean | undefined>;
try {
  flags = parseArgs({
    options: {
      workers: { type: 'string', default: '4' },
      increments: { type: 'string', default: '1000000' },
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
const workerCount = integerFlag('workers', 1, 64);
// The counter is a 32-bit integer, so the total must fit in one.
const increments = integerFlag('increments', 1, Math.floor(2 ** 31 / workerCount) - 1);
const expected = workerCount * increments;

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
