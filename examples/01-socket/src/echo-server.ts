/**
 * A TCP echo server for many clients at once: every byte a client sends comes back. It mirrors the thread-per-client
 * echo server of tutorial 003 §8.2 (and the steps of 003 §3.1), but one event loop replaces the threads, `pipe`
 * handles backpressure, and a client that half-closes still gets its whole echo before the server closes its side.
 *
 * Run:    node examples/01-socket/src/echo-server.ts
 * Try:    node examples/01-socket/src/echo-client.ts "hello"     (or: nc 127.0.0.1 8080)
 * Expect: "listening on tcp://127.0.0.1:8080", then "connected 127.0.0.1:<port> (<n> open)" and
 *         "closed 127.0.0.1:<port> (<n> bytes in, <n> bytes out)" for each connection
 * Stop:   Ctrl+C prints "SIGINT: stopping, <n> connection(s) open", then "stopped"
 */
import net from 'node:net';
import * as cli from './cli.ts';

const { host, port, maxConnections, idleTimeout, shutdownTimeout } = cli.parseFlags(
  { name: 'echo-server', about: 'Echoes every byte each client sends, to many clients at once.' },
  {
    ...cli.listenOn(8080),
    maxConnections: cli.integer(1000, 'refuse connections beyond N open at once', { min: 1 }),
    idleTimeout: cli.duration(60_000, 'close a connection silent for MS milliseconds'),
    shutdownTimeout: cli.duration(3000, 'on SIGINT/SIGTERM, wait at most MS for connections to close', 0),
  },
);

// The open connections are kept so that shutdown can close them. allowHalfOpen keeps our writing
// side open after the client ends its own: it may send everything, half-close, and still be waiting.
const connections = new Set<net.Socket>();
const server = net.createServer({ allowHalfOpen: true }, (socket) => {
  const peer = cli.peerOf(socket);
  connections.add(socket);
  console.log(`connected ${peer} (${connections.size} open)`);

  // TCP is a byte stream, so an echo needs no framing: whatever arrives goes back. pipe() pauses reading while
  // the client is slow to read its echo (backpressure), and ends our side once the client has ended its own.
  socket.pipe(socket);

  // A reset or a write to a vanished peer is this connection's failure only: log it, carry on.
  socket.on('error', (error: NodeJS.ErrnoException) => console.error(`error ${peer}: ${error.code ?? error.message}`));
  socket.setTimeout(idleTimeout, () => {
    console.log(`idle ${peer}: closing after ${idleTimeout} ms of silence`);
    socket.destroy();
  });
  socket.on('close', () => {
    connections.delete(socket);
    console.log(`closed ${peer} (${socket.bytesRead} bytes in, ${socket.bytesWritten} bytes out)`);
  });
});
server.maxConnections = maxConnections;
server.on('drop', (dropped) => {
  console.error(`refused ${dropped?.remoteAddress}:${dropped?.remotePort}: ${maxConnections} connections open`);
});

// Shutdown: stop accepting, stop reading, let each echo already read flush, close our side, and give the peers a
// bounded time to close theirs. Then nothing is left for the event loop, so the process exits: "stopped" is true.
function shutdown(signal: NodeJS.Signals): void {
  if (cli.alreadyStopping(signal)) return;
  console.log(`${signal}: stopping, ${connections.size} connection(s) open`);
  server.close();
  process.on('exit', (code) => code === 0 && console.log('stopped'));
  for (const socket of connections) socket.unpipe(socket).end();
  setTimeout(() => {
    for (const socket of connections) socket.destroy();
  }, shutdownTimeout).unref();
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

// Start-up failures (port in use, permission denied) are expected: one line, exit 1.
server.on('error', (error) => cli.cannotListen(error, host, port));
server.listen({ host, port }, () => cli.printListening('tcp', server.address()));
