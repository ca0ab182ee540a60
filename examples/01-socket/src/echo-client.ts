/**
 * A TCP client: connect, send, half-close, read the whole reply to end of stream, close. It mirrors the client of
 * tutorial 001 §1.6 (connect, send, recv, close), except that it does not trust one recv(1024) to hold the reply: TCP
 * is a byte stream, so it reads until the server closes. It also says clearly why a connection failed, and never waits
 * forever.
 *
 * Run:    node examples/01-socket/src/echo-client.ts "Hello, World!"     (with echo-server running)
 * Try:    printf 'one\ntwo\n' | node examples/01-socket/src/echo-client.ts
 * Expect: the echo on stdout ("Hello, World!"); with no server running,
 *         "error: 127.0.0.1:<port>: connection refused, is the server running? (ECONNREFUSED)"
 * Stop:   it exits by itself: 0 when the reply is complete, 1 on any error
 */
import net from 'node:net';
import * as cli from './cli.ts';

const { host, port, timeout, positionals } = cli.parseFlags(
  {
    name: 'echo-client',
    about:
      'Sends MESSAGE (the arguments joined by spaces, plus a newline) or, without arguments, all of stdin; then half-closes and prints the reply until the server closes.',
    positionals: '[MESSAGE...]',
  },
  { ...cli.connectTo(8080), timeout: cli.duration(5000, 'give up after MS milliseconds without progress') },
);
const address = `${host}:${port}`;

const socket = net.connect({ host, port });
socket.on('error', (error) => {
  console.error(`error: ${address}: ${cli.explain(error)}`);
  process.exitCode = 1;
});

// The timeout counts silence, from connecting onwards: a server that accepts and never
// answers (or never accepts) cannot keep us waiting.
socket.setTimeout(timeout, () => {
  console.error(`error: timed out after ${timeout} ms waiting for ${address}`);
  process.exitCode = 1;
  socket.destroy();
});

// Send, then end our side (a half-close: FIN) so the server knows the message is complete.
// The reply is streamed to stdout as it arrives, however many reads it takes.
const message = positionals.length > 0 ? `${positionals.join(' ')}\n` : undefined;
if (message === undefined) {
  process.stdin.pipe(socket);
} else {
  socket.end(message);
}
socket.pipe(process.stdout);

// Once the connection is gone there is nothing left to send: stop reading stdin so we can exit.
socket.on('close', () => process.stdin.destroy());
