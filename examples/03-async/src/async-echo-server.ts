/**
 * A line echo server written with async/await: the counterpart of asyncio.start_server with a
 * handler that loops on `await reader.readline()`, `writer.write()` and `await writer.drain()`.
 * It mirrors tutorial 000 §2.3 and §4.3 (async def, await, asyncio.run) and 001 Q5 (StreamReader,
 * StreamWriter). Lines are bounded (an over-long one gets an error line and the connection is
 * closed), silent clients time out, and on shutdown every client is told goodbye.
 *
 * Run:    npx tsx examples/03-async/src/async-echo-server.ts            (--delay 500 to answer slowly)
 * Try:    nc 127.0.0.1 8070        (or: npx tsx examples/03-async/src/concurrent-client.ts)
 * Expect: every line you type comes back; the server logs each connection opened and closed
 * Stop:   Ctrl+C sends "bye: server shutting down" to each client, prints "stopped", exits 0
 */
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { LineTooLongError, readLines } from './read-lines.ts';

const usage =
  'usage: async-echo-server [--host HOST] [--port PORT] [--delay MS] [--max-line-bytes N] [--idle-timeout MS] [--max-connections N]';
const help = `${usage}

Echoes each line a client sends, on one event loop for every client.

  --host HOST          address to listen on (default: $HOST or 127.0.0.1)
  --port PORT          port to listen on, 0 for any free port (default: $PORT or 8070)
  --delay MS           wait MS before answering each line, to make waiting visible (default: 0)
  --max-line-bytes N   a longer line gets an error and the connection closes (default: 65536)
  --idle-timeout MS    say goodbye to a client silent for MS (default: 60000)
  --max-connections N  refuse connections beyond N open at once (default: 10000)
  --help               print this help and exit`;

let flags: Record<string, string | boolean | undefined>;
try {
  flags = parseArgs({
    options: {
      host: { type: 'string', default: process.env.HOST ?? '127.0.0.1' },
      port: { type: 'string', default: process.env.PORT ?? '8070' },
      delay: { type: 'string', default: '0' },
      'max-line-bytes': { type: 'string', default: '65536' },
      'idle-timeout': { type: 'string', default: '60000' },
      'max-connections': { type: 'string', default: '10000' },
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
const delayMs = integerFlag('delay', 0, 600_000);
const maxLineBytes = integerFlag('max-line-bytes', 1, 64 * 1024 * 1024);
const idleTimeoutMs = integerFlag('idle-timeout', 1, 86_400_000);
const maxConnections = integerFlag('max-connections', 1, 1_000_000);

// writer.write() + await writer.drain(): write() returns false once the socket's buffer is over
// its high-water mark, and then we wait for 'drain' before writing more. A client that sends but
// never reads therefore stops us reading from it, instead of filling our memory with its echoes.
async function write(socket: net.Socket, text: string): Promise<void> {
  if (socket.write(text)) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      socket.off('drain', done).off('close', done);
      resolve();
    };
    socket.on('drain', done).on('close', done);
  });
}

// One client's whole conversation, written top to bottom as if it were blocking code. A line
// being answered when shutdown starts is finished first; then the client is told goodbye.
const goodbye = 'bye: server shutting down\n';
const answering = new Set<net.Socket>();
async function handle(socket: net.Socket, peer: string): Promise<void> {
  try {
    for await (const line of readLines(socket, maxLineBytes)) {
      if (socket.writableEnded) break;
      answering.add(socket);
      // The pause must not keep the process alive on its own once the client has gone.
      if (delayMs > 0) await sleep(delayMs, undefined, { ref: false });
      await write(socket, line);
      answering.delete(socket);
      if (stopping) break;
    }
    if (stopping) socket.end(goodbye);
    else socket.end();
  } catch (error) {
    if (!(error instanceof LineTooLongError)) throw error;
    console.log(`closing ${peer}: ${error.message}`);
    // Tell the client why, then discard what it is still sending until it closes (or 2 s pass):
    // closing with unread data would reset the connection and could lose the error line.
    socket.end(`error: ${error.message}\n`);
    socket.resume();
    setTimeout(() => socket.destroy(), 2000).unref();
  }
}

const connections = new Set<net.Socket>();
// allowHalfOpen: a client may send its last line and end its side (FIN), and still get the echo.
const server = net.createServer({ allowHalfOpen: true }, (socket) => {
  // A client that resets at once may be gone before this runs; then its address is unknown.
  const peer = socket.remoteAddress
    ? `${socket.remoteAddress}:${socket.remotePort}`
    : 'a client already gone';
  connections.add(socket);
  console.log(`connected ${peer}`);
  socket.on('close', () => {
    connections.delete(socket);
    console.log(`closed ${peer}`);
    reportIfStopped();
  });
  socket.on('error', (error: NodeJS.ErrnoException) =>
    console.error(`error ${peer}: ${error.code ?? error.message}`),
  );
  socket.setTimeout(idleTimeoutMs, () => socket.end(`bye: idle for ${idleTimeoutMs} ms\n`));
  handle(socket, peer).catch((error: Error) => {
    console.error(`error ${peer}: ${error.message}`);
    socket.destroy();
  });
});
server.maxConnections = maxConnections;

// Shutdown: stop accepting, say goodbye to everyone, and let the goodbyes flush; a client that
// does not close its side within 3 s is cut. A second signal exits at once.
let stopping = false;
function shutdown(signal: NodeJS.Signals): void {
  if (stopping) process.exit(1);
  stopping = true;
  console.log(`${signal}: saying goodbye to ${connections.size} client(s)`);
  server.close();
  for (const socket of connections) if (!answering.has(socket)) socket.end(goodbye);
  setTimeout(() => {
    for (const socket of connections) socket.destroy();
  }, 3000).unref();
  reportIfStopped();
}
function reportIfStopped(): void {
  if (stopping && connections.size === 0) console.log('stopped');
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

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
