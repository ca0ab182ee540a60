/**
 * A file-transfer server: each client sends one file behind a header (size, SHA-256, name), see
 * file-protocol.ts. The tutorials list file transfer as the first application of sockets
 * (003 §5); this is how to do it without trusting the network: the name is checked, the size
 * is bounded before a byte is written, the bytes go to a temporary file that is renamed into
 * place only once its SHA-256 matches, and an upload cut off midway leaves nothing behind.
 *
 * Run:    npx tsx examples/01-socket/src/file-server.ts --dir received
 * Try:    npx tsx examples/01-socket/src/file-client.ts package.json
 * Expect: "saved package.json (N bytes, sha256 …)" here, "OK N <sha256>" at the client
 * Stop:   Ctrl+C prints "SIGINT: stopping, N upload(s) in progress"; uploads finish, then "stopped"
 */
import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { receiveFile } from './receive-file.ts';

const usage =
  'usage: file-server [--host HOST] [--port PORT] [--dir DIR] [--max-bytes N] [--max-connections N] [--idle-timeout MS] [--shutdown-timeout MS]';
const help = `${usage}

Receives files sent by file-client into DIR, verified by SHA-256.

  --host HOST             address to listen on (default: $HOST or 127.0.0.1)
  --port PORT             port to listen on, 0 for any free port (default: $PORT or 9000)
  --dir DIR               the only directory files are written to (default: ./received)
  --max-bytes N           refuse files larger than N bytes (default: 104857600, 100 MiB)
  --max-connections N     refuse connections beyond N open at once (default: 100)
  --idle-timeout MS       drop a client silent for MS milliseconds (default: 30000)
  --shutdown-timeout MS   on SIGINT/SIGTERM, let uploads finish for at most MS (default: 5000)
  --help                  print this help and exit`;

let flags: Record<string, string | boolean | undefined>;
try {
  flags = parseArgs({
    options: {
      host: { type: 'string', default: process.env.HOST ?? '127.0.0.1' },
      port: { type: 'string', default: process.env.PORT ?? '9000' },
      dir: { type: 'string', default: 'received' },
      'max-bytes': { type: 'string', default: String(100 * 1024 * 1024) },
      'max-connections': { type: 'string', default: '100' },
      'idle-timeout': { type: 'string', default: '30000' },
      'shutdown-timeout': { type: 'string', default: '5000' },
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
const directory = path.resolve(String(flags.dir));
const maxBytes = integerFlag('max-bytes', 0, Number.MAX_SAFE_INTEGER);
const maxConnections = integerFlag('max-connections', 1, 1_000_000);
const idleTimeoutMs = integerFlag('idle-timeout', 1, 86_400_000);
const shutdownTimeoutMs = integerFlag('shutdown-timeout', 0, 600_000);

const uploads = new Set<net.Socket>();
const server = net.createServer({ allowHalfOpen: true }, async (socket) => {
  // A client that resets at once may be gone before this runs; then its address is unknown.
  const peer = socket.remoteAddress
    ? `${socket.remoteAddress}:${socket.remotePort}`
    : 'a client already gone';
  uploads.add(socket);
  socket.on('close', () => uploads.delete(socket));
  socket.on('error', () => {}); // Reported below, by the failed read, as this upload's failure.
  socket.setTimeout(idleTimeoutMs, () => socket.destroy(new Error(`idle for ${idleTimeoutMs} ms`)));
  try {
    const header = await receiveFile(socket[Symbol.asyncIterator](), { directory, maxBytes });
    console.log(
      `saved ${header.name} (${header.size} bytes, sha256 ${header.sha256.slice(0, 12)}…) from ${peer}`,
    );
    socket.end(`OK ${header.size} ${header.sha256}\n`);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    console.error(`refused ${peer}: ${reason}`);
    // Answer if the client can still hear it, then discard whatever it is still sending,
    // so that closing does not reset the connection before the answer is read.
    if (socket.writable) socket.end(`ERROR ${reason}\n`);
    socket.resume();
  }
});
server.maxConnections = maxConnections;
server.on('drop', (dropped) => {
  console.error(
    `refused ${dropped?.remoteAddress}:${dropped?.remotePort}: ${maxConnections} connections open`,
  );
});

// Shutdown: stop accepting, let uploads in progress finish under a deadline, then cut the rest
// (receiveFile() removes their temporary files). A second signal exits at once.
let stopping = false;
function shutdown(signal: NodeJS.Signals): void {
  if (stopping) process.exit(1);
  stopping = true;
  console.log(`${signal}: stopping, ${uploads.size} upload(s) in progress`);
  server.close(() => console.log('stopped'));
  setTimeout(() => {
    for (const socket of uploads) socket.destroy(new Error('server shutting down'));
  }, shutdownTimeoutMs).unref();
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
try {
  await mkdir(directory, { recursive: true });
} catch (error) {
  console.error(`error: cannot create ${directory}: ${(error as NodeJS.ErrnoException).code}`);
  process.exit(1);
}
server.listen({ host, port }, () => {
  const address = server.address() as net.AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  console.log(`saving files to ${flags.dir}`);
  console.log(`listening on tcp://${shownHost}:${address.port}`);
});
