/**
 * A relay that makes a network unreliable on purpose: it forwards datagrams between clients and a
 * server, dropping, duplicating and delaying (so reordering) a share of them, in both directions.
 * Loopback never loses anything, so this is how to see why udp-client needs sequence numbers,
 * timeouts and retries. With --seed the same run misbehaves the same way every time. The tutorials
 * say UDP is "connectionless and unreliable" (001 §1.3); this makes it so.
 *
 * Run:    npx tsx examples/05-udp/src/lossy-relay.ts --drop 0.3 --duplicate 0.1 --reorder 0.1
 * Try:    npx tsx examples/05-udp/src/udp-client.ts --port 9091 --count 20 --timeout 100   (udp-server on 9090)
 * Expect: the client reports retries and ignored duplicates, yet every message answered
 * Stop:   Ctrl+C prints how many datagrams were forwarded, dropped, duplicated and delayed
 */
import dgram from 'node:dgram';
import { parseArgs } from 'node:util';

const usage =
  'usage: lossy-relay [--host HOST] [--port PORT] [--target-host HOST] [--target-port PORT] [--drop P] [--duplicate P] [--reorder P] [--delay MS] [--seed N]';
const help = `${usage}

Relays datagrams to the target and its answers back, misbehaving on purpose.

  --host HOST          address to listen on (default: $HOST or 127.0.0.1)
  --port PORT          port to listen on, 0 for any free port (default: $PORT or 9091)
  --target-host HOST   where to forward (default: 127.0.0.1)
  --target-port PORT   where to forward (default: 9090, udp-server)
  --drop P             share of datagrams dropped, 0 to 1 (default: 0.3)
  --duplicate P        share of datagrams sent twice (default: 0.1)
  --reorder P          share of datagrams held back --delay ms, so later ones overtake (default: 0.1)
  --delay MS           how long a held-back datagram waits (default: 50)
  --seed N             seed for the random choices, for a repeatable run (default: random)
  --help               print this help and exit`;

let flags: Record<string, string | boolean | undefined>;
try {
  flags = parseArgs({
    options: {
      host: { type: 'string', default: process.env.HOST ?? '127.0.0.1' },
      port: { type: 'string', default: process.env.PORT ?? '9091' },
      'target-host': { type: 'string', default: '127.0.0.1' },
      'target-port': { type: 'string', default: '9090' },
      drop: { type: 'string', default: '0.3' },
      duplicate: { type: 'string', default: '0.1' },
      reorder: { type: 'string', default: '0.1' },
      delay: { type: 'string', default: '50' },
      seed: { type: 'string', default: String(Date.now() % 2 ** 31) },
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
function numberFlag(name: string, min: number, max: number, integer = true): number {
  const text = String(flags[name]);
  const value = Number(text);
  if (
    text === '' ||
    Number.isNaN(value) ||
    value < min ||
    value > max ||
    (integer && !Number.isInteger(value))
  ) {
    console.error(
      `error: --${name} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, got '${text}'`,
    );
    process.exit(1);
  }
  return value;
}
const host = String(flags.host);
const port = numberFlag('port', 0, 65535);
const targetHost = String(flags['target-host']);
const targetPort = numberFlag('target-port', 1, 65535);
const dropShare = numberFlag('drop', 0, 1, false);
const duplicateShare = numberFlag('duplicate', 0, 1, false);
const reorderShare = numberFlag('reorder', 0, 1, false);
const delayMs = numberFlag('delay', 0, 10_000);
const seed = numberFlag('seed', 0, 2 ** 32 - 1);
const maxClients = 256;
const clientIdleMs = 30_000;

// A small seeded generator (mulberry32): the same seed gives the same drops, in the same order.
let state = seed >>> 0;
function random(): number {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

const counts = { forwarded: 0, dropped: 0, duplicated: 0, delayed: 0 };
const pending = new Set<NodeJS.Timeout>();

// The misbehaviour, the same in both directions: maybe drop, maybe send twice, maybe hold back.
function pass(datagram: Buffer, send: (datagram: Buffer) => void): void {
  if (random() < dropShare) return void counts.dropped++;
  const copies = random() < duplicateShare ? 2 : 1;
  if (copies === 2) counts.duplicated++;
  const forward = () => {
    for (let copy = 0; copy < copies; copy++) send(datagram);
    counts.forwarded++;
  };
  if (random() < reorderShare) {
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
const reasons: Record<string, string> = {
  EADDRINUSE: 'address already in use',
  EACCES: 'permission denied',
  EADDRNOTAVAIL: 'address not available on this machine',
};
front.on('error', (error: NodeJS.ErrnoException) => {
  if (!listening) {
    console.error(
      `error: cannot listen on ${host}:${port}: ${reasons[error.code ?? ''] ?? error.message} (${error.code})`,
    );
    process.exit(1);
  }
  console.error(`error: ${error.code ?? error.message}`);
});

let stopping = false;
function shutdown(signal: NodeJS.Signals): void {
  if (stopping) process.exit(1);
  stopping = true;
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
  const address = front.address();
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  console.log(
    `relaying to ${targetHost}:${targetPort}: drop ${dropShare}, duplicate ${duplicateShare}, reorder ${reorderShare}, seed ${seed}`,
  );
  console.log(`listening on udp://${shownHost}:${address.port}`);
});
