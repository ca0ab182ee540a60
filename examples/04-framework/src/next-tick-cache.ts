/**
 * A workaround for a slowdown in Node itself (seen on 20, 22, 24 and 26), which app.ts starts with. Every
 * process.nextTick() builds a small object; V8 remembers its shape (its "hidden class") to build the next one
 * quickly, but holds that memory weakly. When a few full garbage collections pass while no such object exists,
 * as they do while Fastify compiles the routes' JSON schemas at start-up, the shape is freed, and from then on
 * V8 builds each object the slow way: every nextTick() costs about 400 ns instead of 65, for the life of the
 * process. HTTP calls nextTick several times per request, so app.ts lost a sixth of its throughput to this.
 * Keeping one such object alive keeps its shape, and the fast path with it.
 *
 * bench/src/next-tick-after-gc.mjs shows the slowdown in twenty lines; when it no longer does, this file can go.
 */
import { executionAsyncResource } from 'node:async_hooks';

const kept: object[] = [];

/** Keeps one of nextTick()'s objects alive for the life of the process. Call it once, before start-up work. */
export function keepNextTickFast(): void {
  // Inside a nextTick callback, the "resource" Node is running is that tick's own object.
  process.nextTick(() => kept.push(executionAsyncResource()));
}
