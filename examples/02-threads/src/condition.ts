/**
 * Producers and consumers on a bounded queue, the job Python's threading.Condition is for: producers wait while the
 * queue is full, consumers while it is empty, and each side wakes the other. It mirrors tutorial 000 §3.2 (Lock and
 * Condition between threads). The queue lives in shared memory (bounded-queue.mjs, built from lock.mjs and
 * condition-variable.mjs); at the end every item is checked: nothing lost, nothing duplicated.
 *
 * Run:    node examples/02-threads/src/condition.ts
 * Try:    node examples/02-threads/src/condition.ts --capacity 1 --items 10000
 * Expect: "produced: <n> items by 2 producer(s), sum <n>", "consumed: <n> items by 2 consumer(s), sum <n>"
 *         (the same sum), "producers waited <n> times, consumers <n> times", "every item consumed exactly once"
 * Stop:   it exits by itself: 0 when the check holds, 1 when it does not
 */
import { Worker } from 'node:worker_threads';
import { BoundedQueue } from './bounded-queue.mjs';
import * as cli from './cli.ts';

const { producers, consumers, items, capacity } = cli.parseFlags(
  { name: 'condition', about: 'Producer and consumer threads around one bounded queue in shared memory.' },
  {
    producers: cli.integer(2, 'producer threads', { min: 1, max: 32 }),
    consumers: cli.integer(2, 'consumer threads', { min: 1, max: 32 }),
    items: cli.integer(100_000, 'items each producer puts', { min: 1, max: 1_000_000 }),
    capacity: cli.integer(8, 'how many items the queue holds', { min: 1, max: 1_000_000 }),
  },
);
const total = producers * items;

// Three pieces of shared memory: the queue, one "seen" counter per item, and the number of
// producers that have finished.
const queueMemory = new SharedArrayBuffer(BoundedQueue.bytesFor(capacity));
const seenMemory = new SharedArrayBuffer(total + 1);
const doneMemory = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
const shared = { queueMemory, capacity, seenMemory, doneMemory, producers, consumers, items };

type Tally = { count: number; sum: number };
function start(role: 'producer' | 'consumer', index: number): Promise<Tally> {
  // No flags for the thread (execArgv): it is plain JavaScript and needs no TypeScript loader.
  const worker = new Worker(new URL('./condition-worker.mjs', import.meta.url), {
    workerData: { ...shared, role, index },
    execArgv: [],
  });
  return new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`${role} ${index} exited with code ${code} before reporting`)));
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
console.log(`queue of ${capacity}: producers waited ${waits.whenFull} times, consumers ${waits.whenEmpty} times`);

const seen = new Uint8Array(seenMemory);
const wrong = seen.findIndex((times, item) => item > 0 && times !== 1);
if (wrong === -1 && produced.count === total && consumed.count === total && produced.sum === consumed.sum) {
  console.log('every item consumed exactly once');
} else {
  console.log(`error: item ${wrong} was consumed ${seen[wrong]} times`);
  process.exitCode = 1;
}
