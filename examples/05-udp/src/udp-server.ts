/**
 * A UDP echo server: each datagram that arrives is sent back to its sender, whole. It mirrors the tutorials' UDP
 * server (001 §1.4 and §1.7 Q3: socket(AF_INET, SOCK_DGRAM), bind, recvfrom, sendto). There is no connection: every
 * datagram stands alone, with its sender's address. It never answers with more bytes than it got, so it cannot be used
 * to amplify an attack.
 *
 * Run:    node examples/05-udp/src/udp-server.ts
 * Try:    node examples/05-udp/src/udp-client.ts hello     (or: nc -u 127.0.0.1 9090)
 * Expect: "from 127.0.0.1:<port>: 7 bytes (first datagram from this sender)", and the client prints the echo,
 *         "1: hello"; later datagrams are counted in a summary line every 10 s
 * Stop:   Ctrl+C prints "received <n> datagrams (<n> bytes), answered <n>", then "stopped"
 */
import dgram from 'node:dgram';
import * as cli from './cli.ts';
import { datagramLog } from './datagram-log.ts';

const flags = cli.parseFlags(
  { name: 'udp-server', about: 'Echoes every datagram back to its sender.' },
  {
    ...cli.listenOn(9090),
    verbose: cli.toggle('log every datagram, not only the first from each sender'),
    quiet: cli.toggle('log nothing while serving (the counts are still printed at the end)'),
    summaryInterval: cli.duration(10_000, 'while datagrams arrive, print a summary line every MS', 100),
  },
);
const { host, port, quiet } = flags;

// socket(AF_INET, SOCK_DGRAM): an IPv6 host needs a udp6 socket.
const socket = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
const counts = { received: 0, receivedBytes: 0, answered: 0 };
// Every datagram under --verbose; by default each sender's first and a summary while traffic flows.
const log = datagramLog(flags);

// recvfrom(): one 'message' event per datagram, with the sender's address. A datagram is never
// split or merged with another: what was sent as one arrives as one, or not at all.
socket.on('message', (datagram, sender) => {
  counts.received++;
  counts.receivedBytes += datagram.length;
  if (!quiet) log.datagram(`${sender.address}:${sender.port}`, datagram.length);
  // sendto(): the same bytes back, so the answer is never bigger than the question. A failed
  // send is reported through the socket's 'error' event (no callback per datagram: it is the
  // hot path, and a closure for each one would cost more than the send).
  socket.send(datagram, sender.port, sender.address);
  counts.answered++;
});

let listening = false;
socket.on('error', (error: NodeJS.ErrnoException) => {
  // Before bind() completes, an error is a start-up failure (port in use): one line, exit 1.
  if (!listening) cli.cannotListen(error, host, port);
  // After start-up an error concerns one datagram; the socket keeps serving.
  console.error(`error: ${error.code ?? error.message}`);
});

// Shutdown: there are no connections to drain; stop receiving, say what happened, exit.
function shutdown(signal: NodeJS.Signals): void {
  if (cli.alreadyStopping(signal)) return;
  log.stop();
  console.log(`${signal}: stopping`);
  console.log(`received ${counts.received} datagrams (${counts.receivedBytes} bytes), answered ${counts.answered}`);
  socket.close(() => console.log('stopped'));
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

socket.bind({ address: host, port }, () => {
  listening = true;
  cli.printListening('udp', socket.address());
});
