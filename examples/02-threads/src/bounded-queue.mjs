/**
 * A bounded first-in, first-out queue of positive integers in shared memory, for producer and
 * consumer threads: put() waits while the queue is full, take() waits while it is empty. One
 * Lock guards the state; two Conditions say "not full" and "not empty" (the shape of Python's
 * queue.Queue, built with threading.Condition). It also counts how often each side had to wait.
 * The lock makes each put and take whole; Atomics.load/store are only the way to read and write
 * shared memory from JavaScript without the engine caching a value in a register.
 *
 * Plain JavaScript on purpose: worker threads load it directly, see the README.
 */
import { Condition } from './condition-variable.mjs';
import { Lock } from './lock.mjs';

const LOCK = 0;
const NOT_EMPTY = 1;
const NOT_FULL = 2;
const HEAD = 3;
const COUNT = 4;
const WAITS_WHEN_FULL = 5;
const WAITS_WHEN_EMPTY = 6;
const HEADER = 7;

export class BoundedQueue {
  /** Bytes of shared memory a queue of `capacity` items needs. */
  static bytesFor(/** @type {number} */ capacity) {
    return (HEADER + capacity) * Int32Array.BYTES_PER_ELEMENT;
  }

  /** @param {SharedArrayBuffer} memory @param {number} capacity */
  constructor(memory, capacity) {
    this.cells = new Int32Array(memory);
    this.capacity = capacity;
    this.lock = new Lock(this.cells, LOCK);
    this.notEmpty = new Condition(this.cells, NOT_EMPTY, this.lock);
    this.notFull = new Condition(this.cells, NOT_FULL, this.lock);
  }

  /** @param {number} item */
  put(item) {
    const cells = this.cells;
    this.lock.acquire();
    while (Atomics.load(cells, COUNT) === this.capacity) {
      Atomics.add(cells, WAITS_WHEN_FULL, 1);
      this.notFull.wait();
    }
    const tail = (Atomics.load(cells, HEAD) + Atomics.load(cells, COUNT)) % this.capacity;
    Atomics.store(cells, HEADER + tail, item);
    Atomics.add(cells, COUNT, 1);
    this.notEmpty.notify();
    this.lock.release();
  }

  /** @returns {number} */
  take() {
    const cells = this.cells;
    this.lock.acquire();
    while (Atomics.load(cells, COUNT) === 0) {
      Atomics.add(cells, WAITS_WHEN_EMPTY, 1);
      this.notEmpty.wait();
    }
    const head = Atomics.load(cells, HEAD);
    const item = Atomics.load(cells, HEADER + head);
    Atomics.store(cells, HEAD, (head + 1) % this.capacity);
    Atomics.sub(cells, COUNT, 1);
    this.notFull.notify();
    this.lock.release();
    return item;
  }

  /** How often producers waited for space and consumers waited for items. */
  waits() {
    return {
      whenFull: Atomics.load(this.cells, WAITS_WHEN_FULL),
      whenEmpty: Atomics.load(this.cells, WAITS_WHEN_EMPTY),
    };
  }
}
