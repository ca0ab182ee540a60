/**
 * thread-basics.ts's worker: the counterpart of the `target` function given to threading.Thread.
 * It gets its input as workerData, reports progress by message, and either returns a result
 * (as a last message) or throws. Plain JavaScript: see the README.
 */
import { parentPort, workerData } from 'node:worker_threads';

/** @type {{ name: string, upTo: number, fail: boolean }} */
const { name, upTo, fail } = workerData;

let sum = 0;
for (let n = 1; n <= upTo; n++) {
  sum += n;
  parentPort?.postMessage({ kind: 'progress', text: `${name} added ${n}, sum ${sum}` });
}
if (fail) throw new Error(`${name} gave up on purpose`);
parentPort?.postMessage({ kind: 'result', sum });
