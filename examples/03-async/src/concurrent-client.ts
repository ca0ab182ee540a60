/**
 * The same N requests three ways: one after another, all at once, and at most K at a time; each
 * with its own timeout through an AbortSignal. It is the counterpart of asyncio.gather (all at once),
 * a Semaphore (a limit) and asyncio.wait_for (a timeout), and mirrors tutorial 000 §2.3 and §3.3:
 * while one request waits for the network, the event loop runs the others.
 *
 * Run:    npx tsx examples/03-async/src/async-echo-server.ts --delay 200     (in another terminal)
 * Try:    npx tsx examples/03-async/src/concurrent-client.ts --requests 20 --limit 5
 * Expect: "sequential: 20 ok, 0 timed out, 0 failed in ~4000 ms", "all at once: … ~200 ms", "at most 5: … ~800 ms"
 * Stop:   it exits by itself: 0 when every request succeeded, 1 otherwise
 */
import net from 'node:net';
import { parseArgs } from 'node:util';
import { readLines } from './read-lines.ts';

const usage =
  'usage: concurrent-client [--host HOST] [--port PORT] [--requests N] [--limit K] [--timeout MS]';
const help = `${usage}

Sends N one-line requests to async-echo-server sequentially, all at once, and K at a time,
and prints how long each way took and how many requests failed.

  --host HOST     server address (default: $HOST or 127.0.0.1)
  --port PORT     server port (default: $PORT or 8070)
  --requests N    requests per run (default: 20)
  --limit K       the most requests in flight in the third run (default: 5)
  --timeout MS    give up on one request after MS milliseconds (default: 5000)
  --help          print this help and exit`;

let flags: Record<string, string | boolean | undefined>;
try {
  flags = parseArgs({
    options: {
      host: { type: 'string', default: process.env.HOST ?? '127.0.0.1' },
      port: { type: 'string', default: process.env.PORT ?? '8070' },
      requests: { type: 'string', default: '20' },
      limit: { type: 'string', default: '5' },
      timeout: { type: 'string', default: '5000' },
      help: { type: 'boolean', default: false },
    },
  }).values;
} catch (error) {
  console.error(`${(error as Error).message}. ${usage}`);
  process.exit(2);
}
if (flags.help) {
  console.log(help);
  process.exit(0);
}
function integerFlag(name: string, min: number, max: number): number {
  const text = String(flags[name]);
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    console.error(`error: --${name} must be an integer from ${min} to ${max}, got '${text}'`);
    process.exit(1);
  }
  return value;
}
const host = String(flags.host);
const port = integerFlag('port', 1, 65535);
const requests = integerFlag('requests', 1, 10_000);
const limit = integerFlag('limit', 1, 10_000);
const timeoutMs = integerFlag('timeout', 1, 600_000);

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
  const errors = outcomes
    .filter((outcome) => outcome.status === 'rejected')
    .map((outcome) => outcome.reason as Error);
  const timedOut = errors.filter((error) => error.name === 'TimeoutError').length;
  const ok = requests - errors.length;
  console.log(
    `${name}: ${ok} ok, ${timedOut} timed out, ${errors.length - timedOut} failed in ${elapsedMs} ms`,
  );
  const other = errors.find((error) => error.name !== 'TimeoutError') as NodeJS.ErrnoException | undefined;
  failed += errors.length;
  // A failure other than a timeout (refused, reset) will not get better in the next run.
  if (other) {
    const refused = other.code === 'ECONNREFUSED';
    console.error(
      `error: ${refused ? `connection refused by ${host}:${port} (is the server running?)` : other.message}`,
    );
    break;
  }
}
if (failed > 0) process.exitCode = 1;
