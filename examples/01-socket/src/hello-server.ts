/**
 * The first server of every tutorial: accept a connection, send a greeting, close it.
 * It mirrors tutorial 000 §2.1 (socket, bind, listen, accept, send, close) and the steps of
 * 003 §3.1, but keeps accepting after the first client and shuts down cleanly on a signal.
 *
 * Run:    npx tsx examples/01-socket/src/hello-server.ts
 * Try:    npx tsx examples/01-socket/src/echo-client.ts --port 8000 < /dev/null     (or: nc 127.0.0.1 8000)
 * Expect: the client prints "Hello, world!"; the server prints "greeted 127.0.0.1:<port>"
 * Stop:   Ctrl+C prints "SIGINT: stopping" and then "stopped"
 */
import net from 'node:net';
import { parseArgs } from 'node:util';

const usage = 'usage: hello-server [--host HOST] [--port PORT] [--greeting TEXT]';
const help = `${usage}

Sends a greeting to each client that connects, then closes the connection.

  --host HOST       address to listen on (default: $HOST or 127.0.0.1)
  --port PORT       port to listen on, 0 for any free port (default: $PORT or 8000)
  --greeting TEXT   what to send (default: "Hello, world!"); a newline is added
  --help            print this help and exit`;

// Parse flags with the built-in parser. An unknown flag is a usage error (exit 2);
// a known flag with a bad value is a start-up failure (exit 1).
let flags: Record<string, string | boolean | undefined>;
try {
  flags = parseArgs({
    options: {
      host: { type: 'string', default: process.env.HOST ?? '127.0.0.1' },
      port: { type: 'string', default: process.env.PORT ?? '8000' },
      greeting: { type: 'string', default: 'Hello, world!' },
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
const greeting = `${flags.greeting}\n`;

// socket(), bind(), listen() and accept() are one call in Node: createServer() makes the
// listening socket and runs the callback once per accepted connection.
const server = net.createServer((socket) => {
  // A client that resets at once may be gone before this runs; then its address is unknown.
  const peer = socket.remoteAddress
    ? `${socket.remoteAddress}:${socket.remotePort}`
    : 'a client already gone';
  // A client that resets the connection must not crash the server.
  socket.on('error', (error: NodeJS.ErrnoException) => console.error(`error ${peer}: ${error.code}`));
  // end() is send() then close(): it flushes the greeting before the FIN goes out.
  socket.end(greeting, () => console.log(`greeted ${peer}`));
});

// Shutdown: stop accepting; each connection lives only as long as one write, so there is
// nothing to drain. A second signal exits at once.
let stopping = false;
function shutdown(signal: NodeJS.Signals): void {
  if (stopping) process.exit(1);
  stopping = true;
  console.log(`${signal}: stopping`);
  server.close(() => console.log('stopped'));
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

// Start-up failures (port in use, permission denied) are expected: one line, exit 1.
const reasons: Record<string, string> = {
  EADDRINUSE: 'address already in use',
  EACCES: 'permission denied',
  EADDRNOTAVAIL: 'address not available on this machine',
  ENOTFOUND: 'unknown host',
};
server.on('error', (error: NodeJS.ErrnoException) => {
  const reason = reasons[error.code ?? ''] ?? error.message;
  console.error(`error: cannot listen on ${host}:${port}: ${reason} (${error.code})`);
  process.exit(1);
});
server.listen({ host, port }, () => {
  const address = server.address() as net.AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  console.log(`listening on tcp://${shownHost}:${address.port}`);
});
