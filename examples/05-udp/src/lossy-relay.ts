/**
 * A relay that makes a network unreliable on purpose: it forwards datagrams between clients and a server, dropping,
 * duplicating and delaying (so reordering) a share of them, in both directions. Loopback never loses anything, so this
 * is how to see why udp-client needs sequence numbers, timeouts and retries. With --seed the same run misbehaves the
 * same way every time. The tutorials say UDP is "connectionless and unreliable" (001 §1.3); this makes it so.
 *
 * Run:    node examples/05-udp/src/lossy-relay.ts --drop 0.3 --duplicate 0.1 --reorder 0.1
 * Try:    node examples/05-udp/src/udp-client.ts --port 9091 --count 20 --timeout 100   (udp-server on 9090)
 * Expect: "relaying to 127.0.0.1:9090: drop 0.3, duplicate 0.1, reorder 0.1, seed <n>"; the client reports
 *         retries and ignored duplicates, yet every message answered
 * Stop:   Ctrl+C prints "forwarded <n>, dropped <n>, duplicated <n>, delayed <n>", then "stopped"
 */
import dgram from 'node:dgram';
import * as cli from './cli.ts';
import { fate, seededRandom } from './misbehaviour.ts';

const flags = cli.parseFlags(
  { name: 'lossy-relay', about: 'Relays datagrams to the target and its answers back, misbehaving on purpose.' },
  {
    ...cli.listenOn(9091),
    targetHost: cli.text('127.0.0.1', 'where to forward', { value: 'HOST' }),
    targetPort: cli.integer(9090, 'where to forward (udp-server)', { value: 'PORT', min: 1, max: 65535 }),
    drop: cli.decimal(0.3, 'share of datagrams dropped, 0 to 1'),
    duplicate: cli.decimal(0.1, 'share of datagrams sent twice'),
    reorder: cli.decimal(0.1, 'share of datagrams held back --delay ms, so later ones overtake'),
    delay: cli.duration(50, 'how long a held-back datagram waits', 0),
    seed: cli.integer(undefined, 'seed for the random choices, for a repeatable run (default: random)', {
      max: 2 ** 32 - 1,
    }),
  },
);
const { host, port, targetHost, targetPort, drop: dropShare, duplicate: duplicateShare } = flags;
const { reorder: reorderShare, delay: delayMs } = flags;
const seed = flags.seed ?? Date.now() % 2 ** 31;
const maxClients = 256;
const clientIdleMs = 30_000;

// Seeded (misbehaviour.ts): the same seed gives the same drops, in the same order.
const random = seededRandom(seed);
const shares = { drop: dropShare, duplicate: duplicateShare, reorder: reorderShare };

const counts = { forwarded: 0, dropped: 0, duplicated: 0, delayed: 0 };
const pending = new Set<NodeJS.Timeout>();

// The misbehaviour, the same in both directions: maybe drop, maybe send twice, maybe hold back.
function pass(datagram: Buffer, send: (datagram: Buffer) => void): void {
  const decided = fate(random, shares);
  if (decided.dropped) return void counts.dropped++;
  const { copies, delayed } = decided;
  if (copies === 2) counts.duplicated++;
  const forward = () => {
    for (let copy = 0; copy < copies; copy++) send(datagram);
    counts.forwarded++;
  };
  if (delayed) {
    counts.delayed++;
    const timer = setTimeout(() => {
      pending.delete(timer);
      forward();
    }, delayMs);
    pending.add(timer);
  } else {
    forward();
  }
}

// Each client gets its own socket towards the target, so the target's answers can be told apart
// and sent back to the right client. Idle ones are closed; there are at most maxClients.
const front = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
const upstreams = new Map<string, { socket: dgram.Socket; idle: NodeJS.Timeout }>();

function upstreamFor(address: string, clientPort: number): dgram.Socket | undefined {
  const key = `${address}:${clientPort}`;
  const known = upstreams.get(key);
  if (known) {
    known.idle.refresh();
    return known.socket;
  }
  if (upstreams.size >= maxClients) return undefined;
  const socket = dgram.createSocket(targetHost.includes(':') ? 'udp6' : 'udp4');
  socket.on('error', (error) => console.error(`error towards ${targetHost}:${targetPort}: ${error.message}`));
  socket.on('message', (answer) => pass(answer, (datagram) => front.send(datagram, clientPort, address)));
  const idle = setTimeout(() => {
    upstreams.delete(key);
    socket.close();
  }, clientIdleMs);
  upstreams.set(key, { socket, idle });
  return socket;
}

front.on('message', (datagram, sender) => {
  const upstream = upstreamFor(sender.address, sender.port);
  if (upstream) pass(datagram, (copy) => upstream.send(copy, targetPort, targetHost));
});

let listening = false;
front.on('error', (error: NodeJS.ErrnoException) => {
  // Before bind() completes, an error is a start-up failure (port in use): one line, exit 1.
  if (!listening) cli.cannotListen(error, host, port);
  console.error(`error: ${error.code ?? error.message}`);
});

function shutdown(signal: NodeJS.Signals): void {
  if (cli.alreadyStopping(signal)) return;
  console.log(`${signal}: stopping`);
  console.log(
    `forwarded ${counts.forwarded}, dropped ${counts.dropped}, duplicated ${counts.duplicated}, delayed ${counts.delayed}`,
  );
  for (const timer of pending) clearTimeout(timer);
  for (const { socket, idle } of upstreams.values()) {
    clearTimeout(idle);
    socket.close();
  }
  front.close(() => console.log('stopped'));
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

front.bind({ address: host, port }, () => {
  listening = true;
  console.log(
    `relaying to ${targetHost}:${targetPort}: drop ${dropShare}, duplicate ${duplicateShare}, reorder ${reorderShare}, seed ${seed}`,
  );
  cli.printListening('udp', front.address());
});
