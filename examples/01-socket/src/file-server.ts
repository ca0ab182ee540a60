/**
 * A file-transfer server, the tutorials' first application of sockets (003 §5): each client sends one file behind a
 * header (size, SHA-256, name; file-protocol.ts). Nothing from the network is trusted: the name is checked, the size
 * bounded before a byte is written, and the bytes go to a temporary file renamed into place only once its SHA-256
 * matches (receive-file.ts), so an upload cut off midway leaves nothing behind.
 *
 * Run:    node examples/01-socket/src/file-server.ts --dir received
 * Try:    node examples/01-socket/src/file-client.ts package.json
 * Expect: "saved <file> (<n> bytes, sha256 <sha256>) from 127.0.0.1:<port>" here, "OK <n> <sha256>" at the client
 * Stop:   Ctrl+C prints "SIGINT: stopping, <n> upload(s) in progress"; uploads finish, then "stopped"
 */
import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import * as cli from './cli.ts';
import { receiveFile } from './receive-file.ts';

const flags = cli.parseFlags(
  { name: 'file-server', about: 'Receives files sent by file-client into DIR, verified by SHA-256.' },
  {
    ...cli.listenOn(9000),
    dir: cli.text('received', 'the only directory files are written to', { value: 'DIR' }),
    maxBytes: cli.integer(100 * 1024 * 1024, 'refuse files larger than N bytes'),
    maxConnections: cli.integer(100, 'refuse connections beyond N open at once', { min: 1 }),
    idleTimeout: cli.duration(30_000, 'drop a client silent for MS milliseconds'),
    shutdownTimeout: cli.duration(5000, 'on SIGINT/SIGTERM, let uploads finish for at most MS', 0),
  },
);
const { host, port, dir: directory, maxBytes, maxConnections, idleTimeout, shutdownTimeout } = flags;

const uploads = new Set<net.Socket>();
const server = net.createServer({ allowHalfOpen: true }, async (socket) => {
  const peer = cli.peerOf(socket);
  uploads.add(socket);
  socket.on('close', () => uploads.delete(socket));
  socket.on('error', () => {}); // Reported below, by the failed read, as this upload's failure.
  socket.setTimeout(idleTimeout, () => socket.destroy(new Error(`idle for ${idleTimeout} ms`)));
  try {
    const header = await receiveFile(socket[Symbol.asyncIterator](), { directory, maxBytes });
    console.log(`saved ${header.name} (${header.size} bytes, sha256 ${header.sha256.slice(0, 12)}…) from ${peer}`);
    socket.end(`OK ${header.size} ${header.sha256}\n`);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    console.error(`refused ${peer}: ${reason}`);
    // Answer if the client can still hear it, then discard what it still sends, so closing does not reset the answer.
    if (socket.writable) socket.end(`ERROR ${reason}\n`);
    socket.resume();
  }
});
server.maxConnections = maxConnections;
server.on('drop', () => console.error(`refused a connection: ${maxConnections} connections open`));

// Shutdown: stop accepting, let uploads finish under a deadline, then cut the rest (receiveFile removes their files).
// Once nothing is left for the event loop the process exits, and only then is "stopped" true.
function shutdown(signal: NodeJS.Signals): void {
  if (cli.alreadyStopping(signal)) return;
  console.log(`${signal}: stopping, ${uploads.size} upload(s) in progress`);
  server.close();
  process.on('exit', (code) => code === 0 && console.log('stopped'));
  setTimeout(() => {
    for (const socket of uploads) socket.destroy(new Error('server shutting down'));
  }, shutdownTimeout).unref();
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

// Start-up failures (port in use, permission denied, a directory we cannot create): one line, exit 1.
server.on('error', (error) => cli.cannotListen(error, host, port));
await mkdir(directory, { recursive: true }).catch((error) => cli.fail(`cannot create ${directory}: ${error.code}`));
console.log(`saving files to ${flags.dir}`);
server.listen({ host, port }, () => cli.printListening('tcp', server.address()));
