/**
 * The same N requests three ways: one after another, all at once, and at most K at a time; each with its own timeout
 * through an AbortSignal. It is the counterpart of asyncio.gather (all at once), a Semaphore (a limit) and
 * asyncio.wait_for (a timeout), and mirrors tutorial 000 §2.3 and §3.3: while one request waits for the network, the
 * event loop runs the others.
 *
 * Run:    node examples/03-async/src/async-echo-server.ts --delay 200     (in another terminal)
 * Try:    node examples/03-async/src/concurrent-client.ts --requests 20 --limit 5
 * Expect: "sequential: <n> ok, 0 timed out, 0 failed in <ms> ms", then the same for "all at once: <n> ok" and
 *         "at most 5: <n> ok"; here about 4000 ms, 200 ms and 800 ms
 * Stop:   it exits by itself: 0 when every request succeeded, 1 otherwise
 */
import net from 'node:net';
import * as cli from './cli.ts';
import { readLines } from './read-lines.ts';

const {
  host,
  port,
  requests,
  limit,
  timeout: timeoutMs,
} = cli.parseFlags(
  {
    name: 'concurrent-client',
    about:
      'Sends N one-line requests to async-echo-server sequentially, all at once, and K at a time, and prints how long each way took and how many requests failed.',
  },
  {
    ...cli.connectTo(8070),
    requests: cli.integer(20, 'requests per run', { min: 1, max: 10_000 }),
    limit: cli.integer(5, 'the most requests in flight in the third run', {
      min: 1,
      max: 10_000,
      value: 'K',
    }),
    timeout: cli.duration(5000, 'give up on one request after MS milliseconds'),
  },
);

// One request: connect, send a line, read the echoed line. AbortSignal.timeout() is the deadline
// (asyncio.wait_for): when it fires, the socket is destroyed and the pending read fails at once.
async function request(index: number): Promise<void> {
  const signal = AbortSignal.timeout(timeoutMs);
  const socket = net.connect({ host, port, signal });
  socket.on('error', () => {}); // The failure surfaces below, through the read.
  try {
    const question = `request ${index}\n`;
    socket.write(question);
    for await (const answer of readLines(socket, 1024)) {
      if (answer !== question) throw new Error(`wrong answer ${JSON.stringify(answer)}`);
      return;
    }
    throw signal.aborted ? signal.reason : new Error('connection closed without an answer');
  } catch (error) {
    throw signal.aborted ? signal.reason : error;
  } finally {
    socket.destroy();
  }
}

// Runs job(0..count-1) with at most `concurrency` in flight: that many loops each take the next
// index until none is left (what an asyncio.Semaphore around gather() achieves).
async function runAll(count: number, concurrency: number, job: (index: number) => Promise<void>) {
  let next = 0;
  const outcomes: PromiseSettledResult<void>[] = [];
  const loop = async () => {
    while (next < count) {
      const index = next++;
      outcomes[index] = await job(index).then(
        () => ({ status: 'fulfilled', value: undefined }),
        (reason) => ({ status: 'rejected', reason }),
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, loop));
  return outcomes;
}

let failed = 0;
for (const [name, concurrency] of [
  ['sequential', 1],
  ['all at once', requests],
  [`at most ${limit}`, limit],
] as const) {
  const started = performance.now();
  const outcomes = await runAll(requests, concurrency, request);
  const elapsedMs = Math.round(performance.now() - started);
  const errors = outcomes.filter((outcome) => outcome.status === 'rejected').map((outcome) => outcome.reason as Error);
  const timedOut = errors.filter((error) => error.name === 'TimeoutError').length;
  const ok = requests - errors.length;
  console.log(`${name}: ${ok} ok, ${timedOut} timed out, ${errors.length - timedOut} failed in ${elapsedMs} ms`);
  const other = errors.find((error) => error.name !== 'TimeoutError') as NodeJS.ErrnoException | undefined;
  failed += errors.length;
  // A failure other than a timeout (refused, reset) will not get better in the next run.
  if (other) {
    console.error(`error: ${host}:${port}: ${cli.explain(other)}`);
    break;
  }
}
if (failed > 0) process.exitCode = 1;
