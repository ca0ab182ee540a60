/**
 * The first server of every tutorial: accept a connection, send a greeting, close it. It mirrors tutorial 000 §2.1 and
 * §4.1 (socket, bind, listen, accept, send, close) and the steps of 003 §3.1, but keeps accepting after the first
 * client and shuts down cleanly on a signal.
 *
 * Run:    node examples/01-socket/src/hello-server.ts
 * Try:    nc 127.0.0.1 8000        (or: node examples/01-socket/src/echo-client.ts --port 8000 < /dev/null)
 * Expect: the client prints "Hello, world!"; the server prints "greeted 127.0.0.1:<port>"
 * Stop:   Ctrl+C prints "SIGINT: stopping" and then "stopped"
 */
import net from 'node:net';
import * as cli from './cli.ts';

const { host, port, greeting } = cli.parseFlags(
  { name: 'hello-server', about: 'Sends a greeting to each client that connects, then closes the connection.' },
  { ...cli.listenOn(8000), greeting: cli.text('Hello, world!', 'what to send; a newline is added') },
);

// socket(), bind(), listen() and accept() are one call in Node: createServer() makes the
// listening socket and runs the callback once per accepted connection.
const server = net.createServer((socket) => {
  // A client that resets at once may be gone before this runs; then its address is unknown.
  const peer = cli.peerOf(socket);
  // A client that resets the connection must not crash the server.
  socket.on('error', (error: NodeJS.ErrnoException) => console.error(`error ${peer}: ${error.code}`));
  // end() is send() then close(): it flushes the greeting before the FIN goes out.
  socket.end(`${greeting}\n`, () => console.log(`greeted ${peer}`));
});

// Shutdown: stop accepting; each connection lives only as long as one write, so there is
// nothing to drain. Once nothing is left for the event loop the process exits, and only then is
// "stopped" true. (close()'s callback would say it too, but Node 20 never calls it once a client
// has reset a connection the server was ending.)
function shutdown(signal: NodeJS.Signals): void {
  if (cli.alreadyStopping(signal)) return;
  console.log(`${signal}: stopping`);
  server.close();
  process.on('exit', (code) => code === 0 && console.log('stopped'));
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

// Start-up failures (port in use, permission denied) are expected: one line, exit 1.
server.on('error', (error) => cli.cannotListen(error, host, port));
server.listen({ host, port }, () => cli.printListening('tcp', server.address()));
