// process.nextTick() after full garbage collections that ran while no tick was pending: the slowdown that
// examples/04-framework/src/next-tick-cache.ts works around. Prints nanoseconds per nextTick().
//
// Run:    node --expose-gc bench/src/next-tick-after-gc.mjs          (then with "keep", then with "no-gc")
// Expect: about 65 ns with "keep" or "no-gc", about 400 ns without, on Node 20 to 26
import { executionAsyncResource } from 'node:async_hooks';

const mode = process.argv[2] ?? 'plain';
const kept = [];
if (mode === 'keep') process.nextTick(() => kept.push(executionAsyncResource()));

/**
 * Runs `count` nextTick() calls one after another; resolves with the nanoseconds each took.
 * @param {number} count
 * @returns {Promise<number>}
 */
function tickChain(count) {
  return new Promise((resolve) => {
    let left = count;
    const start = process.hrtime.bigint();
    const step = () => (--left > 0 ? process.nextTick(step) : resolve(Number(process.hrtime.bigint() - start) / count));
    process.nextTick(step);
  });
}

const { gc } = globalThis;
if (!gc) {
  console.error('error: run it with node --expose-gc (it needs gc())');
  process.exit(2);
}
await tickChain(1000);
if (mode !== 'no-gc') for (let i = 0; i < 3; i++) gc();
await tickChain(1_000_000); // (V8 optimizes the chain meanwhile)
console.log(`${mode}: ${(await tickChain(2_000_000)).toFixed(1)} ns per nextTick`);
