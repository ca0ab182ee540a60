/**
 * A mutual-exclusion lock over one 32-bit integer in shared memory: the counterpart of Python's
 * threading.Lock for worker threads. 0 means free, 1 held, 2 held with threads waiting.
 * compareExchange makes "check that it is free and take it" one indivisible step; Atomics.wait
 * puts a thread to sleep instead of spinning, and Atomics.notify wakes one sleeper on release.
 * (This is the classic three-state futex lock; JavaScript, like Python, has no built-in one.)
 *
 * Plain JavaScript on purpose: worker threads load it directly, see the README.
 */
export class Lock {
  /** @param {Int32Array} cells shared memory; the lock uses cells[index] */
  constructor(cells, index = 0) {
    this.cells = cells;
    this.index = index;
  }

  acquire() {
    // Fast path: free (0) becomes held (1) in one atomic step.
    let state = Atomics.compareExchange(this.cells, this.index, 0, 1);
    while (state !== 0) {
      // Mark the lock contended (2) so the holder knows to wake someone, then sleep while it is 2.
      if (state === 2 || Atomics.compareExchange(this.cells, this.index, 1, 2) !== 0) {
        Atomics.wait(this.cells, this.index, 2);
      }
      state = Atomics.compareExchange(this.cells, this.index, 0, 2);
    }
  }

  release() {
    // If someone may be waiting (the state was 2), free the lock and wake one of them.
    if (Atomics.sub(this.cells, this.index, 1) !== 1) {
      Atomics.store(this.cells, this.index, 0);
      Atomics.notify(this.cells, this.index, 1);
    }
  }
}
