/**
 * A UDP client that copes with what UDP does not promise: a datagram may be lost, duplicated or overtaken. Each
 * message carries a sequence number; the client waits for the matching reply with a timeout, sends again with a
 * doubling timeout (a few times at most), and ignores duplicates and replies that come too late. It mirrors the
 * tutorials' UDP client (001 §1.7 Q4: sendto, recvfrom) and their settimeout, and reports sent / answered / retried
 * counts.
 *
 * Run:    node examples/05-udp/src/udp-client.ts hello world     (with udp-server running)
 * Try:    node examples/05-udp/src/udp-client.ts --port 9091 --count 100   (through lossy-relay)
 * Expect: "1: hello", "2: world", then "sent <n>, answered 2, retried <n>, duplicates ignored <n>, late ignored <n>,
 *         failed 0"; exit 1 if nobody answers
 * Stop:   it exits by itself: 0 when every message was answered, 1 otherwise
 */
import dgram from 'node:dgram';
import * as cli from './cli.ts';
import { numbered, Replies } from './replies.ts';

const flags = cli.parseFlags(
  {
    name: 'udp-client',
    about: `Sends each MESSAGE (or, with --count N, the messages "message 1".."message N") as its own
datagram, numbered, and waits for each echo. Lost datagrams are sent again.`,
    positionals: '[MESSAGE...]',
  },
  {
    ...cli.connectTo(9090),
    timeout: cli.duration(500, 'first wait for an answer; it doubles with each attempt, up to 8 times', 1),
    attempts: cli.integer(4, 'sends per message before giving up (4: at most 500+1000+2000+4000 ms)', {
      min: 1,
      max: 100,
    }),
    window: cli.integer(1, 'messages in flight at once', { min: 1, max: 1000 }),
    count: cli.integer(undefined, 'send N generated messages instead of MESSAGE...', {
      min: 1,
      max: 100_000,
    }),
  },
);
const { host, port, timeout: timeoutMs, attempts, window, count } = flags;
const messages = count === undefined ? flags.positionals : Array.from({ length: count }, (_, i) => `message ${i + 1}`);
if (messages.length === 0) cli.fail('nothing to send: give MESSAGE... or --count N');

// Each datagram is "<sequence number> <message>". 65,507 bytes is the most one IPv4 UDP datagram
// can carry (65,535 minus the 8-byte UDP and 20-byte IP headers); the send would fail with EMSGSIZE.
const maxDatagramBytes = 65_507;
const datagrams = messages.map((message, index) => numbered(index + 1, message));
const tooBig = datagrams.findIndex((datagram) => datagram.length > maxDatagramBytes);
if (tooBig !== -1) {
  console.error(
    `error: message ${tooBig + 1} needs a datagram of ${datagrams[tooBig]?.length} bytes; UDP carries at most ${maxDatagramBytes} (EMSGSIZE)`,
  );
  process.exit(1);
}

const counts = { sent: 0, answered: 0, retried: 0 };
const answers = new Map<number, string>();
const replies = new Replies();

// A connected UDP socket only accepts datagrams from that one address, and reports an ICMP
// "port unreachable" as ECONNREFUSED: nobody is listening, no need to wait for timeouts.
const socket = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
socket.on('error', (error: NodeJS.ErrnoException) => {
  cli.fail(error.code === 'ECONNREFUSED' ? `nobody is listening on ${host}:${port} (ECONNREFUSED)` : error.message);
});
// Answers are matched by sequence number (replies.ts): duplicates and late ones are only counted.
socket.on('message', (reply) => replies.receive(reply.toString('utf8')));

// Sends one datagram and waits for its answer: timeout, then timeout × 2, × 4, × 8, × 8, ... up
// to `attempts` sends (exponential backoff, capped, so retries do not flood a struggling network).
// Returns the answer, or undefined when every attempt went unanswered.
async function exchange(sequence: number, datagram: Buffer): Promise<string | undefined> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (attempt > 0) counts.retried++;
    counts.sent++;
    socket.send(datagram);
    const answer = await new Promise<string | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), timeoutMs * 2 ** Math.min(attempt, 3));
      replies.waitFor(sequence, datagram.toString('utf8'), (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
    });
    replies.stopWaiting(sequence);
    if (answer !== undefined) return answer;
  }
  return undefined;
}

// Connecting sends nothing, but picks a route: with none (ENETUNREACH) the callback gets the error.
socket.connect(port, host, async (error?: NodeJS.ErrnoException) => {
  if (error) cli.fail(`${host}:${port}: ${cli.explain(error)}`);
  // `window` workers take the next message in turn, so at most that many are in flight.
  let next = 0;
  const worker = async () => {
    while (next < datagrams.length) {
      const sequence = ++next;
      const datagram = datagrams[sequence - 1] as Buffer;
      const answer = await exchange(sequence, datagram);
      if (answer !== undefined) {
        counts.answered++;
        answers.set(sequence, answer.slice(answer.indexOf(' ') + 1));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(window, datagrams.length) }, worker));

  for (const [sequence, answer] of [...answers].sort(([a], [b]) => a - b))
    console.log(`${sequence}: ${cli.printable(answer)}`);
  const failed = messages.length - counts.answered;
  console.log(
    `sent ${counts.sent}, answered ${counts.answered}, retried ${counts.retried}, ` +
      `duplicates ignored ${replies.duplicates}, late ignored ${replies.late}, failed ${failed}`,
  );
  if (failed > 0) {
    console.error(
      `error: no answer from ${host}:${port} for ${failed} of ${messages.length} message(s) after ${attempts} attempt(s) each`,
    );
    process.exitCode = 1;
  }
  socket.close();
});
