/**
 * A TCP echo server that serves many clients at once: every byte a client sends comes back to it.
 * It mirrors the thread-per-client echo server of tutorial 003 §8.2 (and the steps of 003 §3.1),
 * but one event loop replaces the threads, `pipe` handles backpressure, and a client that
 * half-closes still gets its whole echo before the server closes its side.
 *
 * Run:    npx tsx examples/01-socket/src/echo-server.ts
 * Try:    npx tsx examples/01-socket/src/echo-client.ts "hello"     (or: nc 127.0.0.1 8080)
 * Expect: listening on tcp://127.0.0.1:8080, then one line per connection opened and closed
 * Stop:   Ctrl+C prints "SIGINT: stopping, N connection(s) open", then "stopped"
 */
import net from 'node:net';
import { parseArgs } from 'node:util';

const usage =
  'usage: echo-server [--host HOST] [--port PORT] [--max-connections N] [--idle-timeout MS] [--shutdown-timeout MS]';
const help = `${usage}

Echoes every byte each client sends, to many clients at once.

  --host HOST             address to listen on (default: $HOST or 127.0.0.1)
  --port PORT             port to listen on, 0 for any free port (default: $PORT or 8080)
  --max-connections N     refuse connections beyond N open at once (default: 1000)
  --idle-timeout MS       close a connection silent for MS milliseconds (default: 60000)
  --shutdown-timeout MS   on SIGINT/SIGTERM, wait at most MS for connections to close (default: 3000)
  --help                  print this help and exit`;

// Parse flags with the built-in parser. An unknown flag is a usage error (exit 2);
// a known flag with a bad value is a start-up failure (exit 1).
let flags: Record<string, string | boolean | undefined>;
try {
  flags = parseArgs({
    options: {
      host: { type: 'string', default: process.env.HOST ?? '127.0.0.1' },
      port: { type: 'string', default: process.env.PORT ?? '8080' },
      'max-connections': { type: 'string', default: '1000' },
      'idle-timeout': { type: 'string', default: '60000' },
      'shutdown-timeout': { type: 'string', default: '3000' },
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
const port = integerFlag('port', 0, 65535);
const maxConnections = integerFlag('max-connections', 1, 1_000_000);
const idleTimeoutMs = integerFlag('idle-timeout', 1, 86_400_000);
const shutdownTimeoutMs = integerFlag('shutdown-timeout', 0, 600_000);

// The server keeps its open connections so that shutdown can close them.
// allowHalfOpen keeps our writing side open after the client ends its own: the client may
// send everything, half-close, and still be waiting for the rest of its echo.
const connections = new Set<net.Socket>();
const server = net.createServer({ allowHalfOpen: true }, (socket) => {
  // A client that resets at once may be gone before this runs; then its address is unknown.
  const peer = socket.remoteAddress
    ? `${socket.remoteAddress}:${socket.remotePort}`
    : 'a client already gone';
  connections.add(socket);
  console.log(`connected ${peer} (${connections.size} open)`);

  // A reset or a write to a vanished peer is this connection's failure only: log it, carry on.
  socket.on('error', (error: NodeJS.ErrnoException) => {
    console.error(`error ${peer}: ${error.code ?? error.message}`);
  });
  socket.setTimeout(idleTimeoutMs, () => {
    console.log(`idle ${peer}: closing after ${idleTimeoutMs} ms of silence`);
    socket.destroy();
  });
  socket.on('close', () => {
    connections.delete(socket);
    console.log(`closed ${peer} (${socket.bytesRead} bytes in, ${socket.bytesWritten} bytes out)`);
    reportIfStopped();
  });

  // TCP is a byte stream, so an echo needs no framing: whatever arrives goes back.
  // pipe() pauses reading while the client is slow to read its echo (backpressure),
  // and ends our side once the client has ended its side and the echo is flushed.
  socket.pipe(socket);
});
server.maxConnections = maxConnections;
server.on('drop', (dropped) => {
  console.error(
    `refused ${dropped?.remoteAddress}:${dropped?.remotePort}: ${maxConnections} connections open`,
  );
});

// Shutdown: stop accepting, stop reading, let each echo already read flush, close our side,
// and give the peers a bounded time to close theirs. A second signal exits at once.
let stopping = false;
function shutdown(signal: NodeJS.Signals): void {
  if (stopping) {
    console.log(`${signal} again: exiting now`);
    process.exit(1);
  }
  stopping = true;
  console.log(`${signal}: stopping, ${connections.size} connection(s) open`);
  server.close();
  for (const socket of connections) {
    socket.unpipe(socket);
    socket.end();
  }
  reportIfStopped();
  setTimeout(() => {
    for (const socket of connections) socket.destroy();
  }, shutdownTimeoutMs).unref();
}
// The last line: printed once no connection is left, by whichever close comes last.
function reportIfStopped(): void {
  if (stopping && connections.size === 0) console.log('stopped');
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
