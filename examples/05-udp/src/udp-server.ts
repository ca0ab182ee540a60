/**
 * A UDP echo server: each datagram that arrives is sent back to its sender, whole. It mirrors the
 * tutorials' UDP server (001 §1.4 Q3, 003 §2.1: socket(AF_INET, SOCK_DGRAM), bind, recvfrom,
 * sendto). There is no connection: every datagram stands alone, with its sender's address. It never
 * answers with more bytes than it got, so it cannot be used to amplify an attack.
 *
 * Run:    npx tsx examples/05-udp/src/udp-server.ts
 * Try:    npx tsx examples/05-udp/src/udp-client.ts hello     (or: nc -u 127.0.0.1 9090)
 * Expect: "from 127.0.0.1:<port>: 7 bytes" ("1 hello": a sequence number, then the message), and the echo
 * Stop:   Ctrl+C prints how many datagrams came and went, then "stopped"
 */
import dgram from 'node:dgram';
import { parseArgs } from 'node:util';

const usage = 'usage: udp-server [--host HOST] [--port PORT] [--quiet]';
const help = `${usage}

Echoes every datagram back to its sender.

  --host HOST   address to listen on (default: $HOST or 127.0.0.1)
  --port PORT   port to listen on, 0 for any free port (default: $PORT or 9090)
  --quiet       do not log each datagram (the counts are still printed at the end)
  --help        print this help and exit`;

let flags: Record<string, string | boolean | undefined>;
try {
  flags = parseArgs({
    options: {
      host: { type: 'string', default: process.env.HOST ?? '127.0.0.1' },
      port: { type: 'string', default: process.env.PORT ?? '9090' },
      quiet: { type: 'boolean', default: false },
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
const host = String(flags.host);
const portText = String(flags.port);
const port = Number(portText);
if (!/^\d+$/.test(portText) || port > 65535) {
  console.error(`error: --port must be an integer from 0 to 65535, got '${portText}'`);
  process.exit(1);
}

// socket(AF_INET, SOCK_DGRAM): an IPv6 host needs a udp6 socket.
const socket = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
const counts = { received: 0, receivedBytes: 0, answered: 0 };

// recvfrom(): one 'message' event per datagram, with the sender's address. A datagram is never
// split or merged with another: what was sent as one arrives as one, or not at all.
socket.on('message', (datagram, sender) => {
  counts.received++;
  counts.receivedBytes += datagram.length;
  if (!flags.quiet) console.log(`from ${sender.address}:${sender.port}: ${datagram.length} bytes`);
  // sendto(): the same bytes back, so the answer is never bigger than the question. A failed
  // send is reported through the socket's 'error' event (no callback per datagram: it is the
  // hot path, and a closure for each one would cost more than the send).
  socket.send(datagram, sender.port, sender.address);
  counts.answered++;
});

let listening = false;
const reasons: Record<string, string> = {
  EADDRINUSE: 'address already in use',
  EACCES: 'permission denied',
  EADDRNOTAVAIL: 'address not available on this machine',
  ENOTFOUND: 'unknown host',
};
socket.on('error', (error: NodeJS.ErrnoException) => {
  if (!listening) {
    console.error(
      `error: cannot listen on ${host}:${port}: ${reasons[error.code ?? ''] ?? error.message} (${error.code})`,
    );
    process.exit(1);
  }
  // After start-up an error concerns one datagram; the socket keeps serving.
  console.error(`error: ${error.code ?? error.message}`);
});

// Shutdown: there are no connections to drain; stop receiving, say what happened, exit.
let stopping = false;
function shutdown(signal: NodeJS.Signals): void {
  if (stopping) process.exit(1);
  stopping = true;
  console.log(`${signal}: stopping`);
  console.log(
    `received ${counts.received} datagrams (${counts.receivedBytes} bytes), answered ${counts.answered}`,
  );
  socket.close(() => console.log('stopped'));
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

socket.bind({ address: host, port }, () => {
  listening = true;
  const address = socket.address();
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  console.log(`listening on udp://${shownHost}:${address.port}`);
});
