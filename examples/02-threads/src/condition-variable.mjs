/**
 * A condition variable over shared memory, the counterpart of Python's threading.Condition: a
 * thread holding the lock can wait() for a change, and a thread that made one calls notify().
 * The cell holds a sequence number that each notify() bumps. wait() reads it while still holding
 * the lock, releases the lock, and sleeps only while the number is unchanged: a notify() between
 * the release and the sleep is therefore never missed.
 *
 * Plain JavaScript on purpose: worker threads load it directly, see the README.
 */
export class Condition {
  /**
   * @param {Int32Array} cells shared memory; the condition uses cells[index]
   * @param {number} index
   * @param {import('./lock.mjs').Lock} lock the lock that guards the shared state
   */
  constructor(cells, index, lock) {
    this.cells = cells;
    this.index = index;
    this.lock = lock;
  }

  /** Call with the lock held; returns with it held again. Re-check your condition in a loop. */
  wait() {
    const sequence = Atomics.load(this.cells, this.index);
    this.lock.release();
    Atomics.wait(this.cells, this.index, sequence);
    this.lock.acquire();
  }

  /** Wakes one waiting thread. Call with the lock held. */
  notify() {
    Atomics.add(this.cells, this.index, 1);
    Atomics.notify(this.cells, this.index, 1);
  }
}
