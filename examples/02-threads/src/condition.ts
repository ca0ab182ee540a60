/**
 * Producers and consumers on a bounded queue, the job Python's threading.Condition is for:
 * producers wait while the queue is full, consumers while it is empty, and each side wakes the
 * other. It mirrors tutorial 000 §3.2 (Lock and Condition between threads). The queue lives in
 * shared memory (bounded-queue.mjs, built from lock.mjs and condition-variable.mjs); at the end
 * every item is checked: nothing lost, nothing duplicated.
 *
 * Run:    npx tsx examples/02-threads/src/condition.ts
 * Try:    npx tsx examples/02-threads/src/condition.ts --capacity 1 --items 10000
 * Expect: "produced: 200000 items by 2 producer(s), sum …", "consumed: … (the same sum)",
 *         how often each side waited, and "every item consumed exactly once"
 * Stop:   it exits by itself: 0 when the check holds, 1 when it does not
 */
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { BoundedQueue } from './bounded-queue.mjs';

const usage = 'usage: condition [--producers N] [--consumers N] [--items N] [--capacity N]';
const help = `${usage}

Runs producer and consumer threads around one bounded queue in shared memory.

  --producers N   producer threads (default: 2)
  --consumers N   consumer threads (default: 2)
  --items N       items each producer puts (default: 100000)
  --capacity N    how many items the queue holds (default: 8)
  --help          print this help and exit`;

let flags: Record<string, string | boolean | undefined>;
try {
  flags = parseArgs({
    options: {
      producers: { type: 'string', default: '2' },
      consumers: { type: 'string', default: '2' },
      items: { type: 'string', default: '100000' },
      capacity: { type: 'string', default: '8' },
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
const producers = integerFlag('producers', 1, 32);
const consumers = integerFlag('consumers', 1, 32);
const items = integerFlag('items', 1, 1_000_000);
const capacity = integerFlag('capacity', 1, 1_000_000);
const total = producers * items;

// Three pieces of shared memory: the queue, one "seen" counter per item, and the number of
// producers that have finished.
const queueMemory = new SharedArrayBuffer(BoundedQueue.bytesFor(capacity));
const seenMemory = new SharedArrayBuffer(total + 1);
const doneMemory = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
const shared = { queueMemory, capacity, seenMemory, doneMemory, producers, consumers, items };

type Tally = { count: number; sum: number };
function start(role: 'producer' | 'consumer', index: number): Promise<Tally> {
  const worker = new Worker(new URL('./condition-worker.mjs', import.meta.url), {
    workerData: { ...shared, role, index },
  });
  return new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) =>
      reject(new Error(`${role} ${index} exited with code ${code} before reporting`)),
    );
  });
}
function add(tallies: Tally[]): Tally {
  return tallies.reduce((a, b) => ({ count: a.count + b.count, sum: a.sum + b.sum }), { count: 0, sum: 0 });
}

const [produced, consumed] = await Promise.all([
  Promise.all(Array.from({ length: producers }, (_, index) => start('producer', index))).then(add),
  Promise.all(Array.from({ length: consumers }, (_, index) => start('consumer', index))).then(add),
]);
const waits = new BoundedQueue(queueMemory, capacity).waits();
console.log(`produced: ${produced.count} items by ${producers} producer(s), sum ${produced.sum}`);
console.log(`consumed: ${consumed.count} items by ${consumers} consumer(s), sum ${consumed.sum}`);
console.log(
  `queue of ${capacity}: producers waited ${waits.whenFull} times, consumers ${waits.whenEmpty} times`,
);

const seen = new Uint8Array(seenMemory);
const wrong = seen.findIndex((times, item) => item > 0 && times !== 1);
if (wrong === -1 && produced.count === total && consumed.count === total && produced.sum === consumed.sum) {
  console.log('every item consumed exactly once');
} else {
  console.log(`error: item ${wrong} was consumed ${seen[wrong]} times`);
  process.exitCode = 1;
}
