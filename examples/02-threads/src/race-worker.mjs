/**
 * One of race.ts's workers: waits at the start line, then adds 1 to the shared counter
 * `increments` times with the strategy it was given. Plain JavaScript: see the README.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Lock } from './lock.mjs';

/** @type {{ memory: SharedArrayBuffer, strategy: string, increments: number }} */
const { memory, strategy, increments } = workerData;
const cells = new Int32Array(memory);
const COUNTER = 0;
const LOCK = 1;
const START = 2;

// The start barrier: report in, then sleep until the main thread flips START to 1. Without it
// each worker would finish its loop before the next one started, and the race would never show.
parentPort?.postMessage('ready');
Atomics.wait(cells, START, 0);

if (strategy === 'unsynchronized') {
  // Read, add, write: separate steps. Each read and each write is whole (atomic), yet another
  // thread can write between this thread's read and its write, and that update is lost.
  for (let i = 0; i < increments; i++) Atomics.store(cells, COUNTER, Atomics.load(cells, COUNTER) + 1);
} else if (strategy === 'atomics') {
  // One indivisible read-modify-write in hardware: nothing can come in between.
  for (let i = 0; i < increments; i++) Atomics.add(cells, COUNTER, 1);
} else if (strategy === 'lock') {
  // The same three steps as the unsynchronized loop, made safe by holding a lock around them.
  const lock = new Lock(cells, LOCK);
  for (let i = 0; i < increments; i++) {
    lock.acquire();
    Atomics.store(cells, COUNTER, Atomics.load(cells, COUNTER) + 1);
    lock.release();
  }
} else {
  throw new Error(`unknown strategy ${strategy}`);
}
