/**
 * condition.ts's producers and consumers. A producer puts its own range of numbers into the
 * queue; the last producer to finish puts one 0 per consumer, the "no more items" mark. A
 * consumer takes items until it gets a 0, marking each item seen. Plain JavaScript: see the README.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { BoundedQueue } from './bounded-queue.mjs';

/**
 * @type {{ role: 'producer' | 'consumer', index: number, items: number, consumers: number,
 *   queueMemory: SharedArrayBuffer, capacity: number, seenMemory: SharedArrayBuffer,
 *   doneMemory: SharedArrayBuffer, producers: number }}
 */
const data = workerData;
const queue = new BoundedQueue(data.queueMemory, data.capacity);
let count = 0;
let sum = 0;

if (data.role === 'producer') {
  const first = data.index * data.items + 1;
  for (let item = first; item < first + data.items; item++) {
    queue.put(item);
    count++;
    sum += item;
  }
  // Atomics.add returns the old value: whoever brings the count to `producers` is the last one.
  if (Atomics.add(new Int32Array(data.doneMemory), 0, 1) === data.producers - 1) {
    for (let consumer = 0; consumer < data.consumers; consumer++) queue.put(0);
  }
} else {
  const seen = new Uint8Array(data.seenMemory);
  for (let item = queue.take(); item !== 0; item = queue.take()) {
    Atomics.add(seen, item, 1);
    count++;
    sum += item;
  }
}
parentPort?.postMessage({ count, sum });
