/**
 * The event loop, made visible: a numbered timeline of when sync code, process.nextTick, promise callbacks, timers,
 * I/O callbacks and setImmediate run, then a timer delayed by a busy loop. It mirrors tutorial 000 §2.3 and §3.3
 * (non-blocking I/O, event-driven callbacks) and 001 §1.3: nothing here runs in parallel; things run in turn.
 *
 * Run:    node examples/03-async/src/event-loop.ts
 * Try:    node examples/03-async/src/event-loop.ts --block 500
 * Expect: steps 1 to 10 always in the same order, then "a timer due in 10 ms ran after <ms> ms" (about 300)
 * Stop:   it exits by itself (exit 0)
 */
import net from 'node:net';
import * as cli from './cli.ts';

const { block: blockMs } = cli.parseFlags(
  { name: 'event-loop', about: 'Prints the order callbacks run in, then blocks the loop for MS ms to delay a timer.' },
  { block: cli.duration(300, 'how long the busy loop runs', 20) },
);

let step = 0;
const log = (kind: string, text: string) => console.log(`${String(++step).padStart(2)}. ${kind.padEnd(12)} ${text}`);

// Part 1: one turn of the loop. Each callback is queued before any of them runs; the numbers show the order they run
// in. (It starts from a callback of the loop, setImmediate below: a module's top level runs inside a promise job.)
function oneTurn(): void {
  log('sync', 'the code that is running now finishes first');
  setTimeout(() => {
    log('timer', 'setTimeout(0): the timers phase of a later turn');
    startIo();
  }, 0);
  Promise.resolve().then(() => log('microtask', 'a promise callback: right after the current callback'));
  process.nextTick(() => log('nextTick', 'process.nextTick: before any promise callback'));
  (async () => {
    await null;
    log('microtask', 'code after an await: also a promise callback');
  })();
  log('sync', 'still the same callback: nothing else has run yet');
}

// Part 2: I/O. From an I/O callback, setImmediate (the check phase, right after poll) always runs before setTimeout(0).
function startIo(): void {
  const server = net.createServer((socket) => socket.end());
  server.listen(0, '127.0.0.1', () => {
    const socket = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1', () => {
      log('poll (I/O)', 'the connection is open: an I/O callback');
      setTimeout(() => {
        log('timer', 'setTimeout(0) queued from the I/O callback');
        socket.destroy();
        server.close();
        blocking();
      }, 0);
      setImmediate(() => log('check', 'setImmediate queued from the I/O callback: always first'));
    });
  });
}

// Part 3: a busy loop blocks everything. A timer due in 10 ms cannot run until the loop is free.
function blocking(): void {
  const scheduled = performance.now();
  setTimeout(() => {
    const late = Math.round(performance.now() - scheduled);
    log('timer', `a timer due in 10 ms ran after ${late} ms: the busy loop held the event loop`);
  }, 10);
  log('sync', `busy for ${blockMs} ms with the timer already due...`);
  const until = performance.now() + blockMs;
  while (performance.now() < until) {
    // Deliberately doing nothing, as a long computation or a synchronous read would.
  }
}

setImmediate(oneTurn);
