/**
 * A line echo server written with async/await: the counterpart of asyncio.start_server with a handler that loops on
 * `await reader.readline()`, `writer.write()` and `await writer.drain()`. It mirrors tutorial 000 §2.3 and §4.3 (async
 * def, await, asyncio.run) and 001 §1.7 Q5 (StreamReader, StreamWriter). Lines are bounded (an over-long one gets an
 * error line and the connection is closed), silent clients time out, and on shutdown every client is told goodbye.
 *
 * Run:    node examples/03-async/src/async-echo-server.ts            (--delay 500 to answer slowly)
 * Try:    nc 127.0.0.1 8070        (or: node examples/03-async/src/concurrent-client.ts)
 * Expect: every line you type comes back; the server logs "listening on tcp://127.0.0.1:8070" and each connection
 *         opened and closed
 * Stop:   Ctrl+C prints "SIGINT: saying goodbye to <n> client(s)", sends each a goodbye line, then "stopped", exits 0
 */
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import * as cli from './cli.ts';
import { LineTooLongError, readLines } from './read-lines.ts';

const flags = cli.parseFlags(
  { name: 'async-echo-server', about: 'Echoes each line a client sends, on one event loop for every client.' },
  {
    ...cli.listenOn(8070),
    delay: cli.duration(0, 'wait MS before answering each line, to make waiting visible', 0),
    maxLineBytes: cli.integer(65_536, 'a longer line gets an error and the connection closes', { min: 1 }),
    idleTimeout: cli.duration(60_000, 'say goodbye to a client silent for MS'),
    maxConnections: cli.integer(10_000, 'refuse connections beyond N open at once', { min: 1 }),
  },
);
const { host, port, delay: delayMs, maxLineBytes, idleTimeout: idleTimeoutMs, maxConnections } = flags;

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
  const peer = cli.peerOf(socket);
  connections.add(socket);
  console.log(`connected ${peer}`);
  socket.on('close', () => {
    connections.delete(socket);
    console.log(`closed ${peer}`);
  });
  socket.on('error', (error: NodeJS.ErrnoException) => console.error(`error ${peer}: ${error.code ?? error.message}`));
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
  if (cli.alreadyStopping(signal)) return;
  stopping = true;
  console.log(`${signal}: saying goodbye to ${connections.size} client(s)`);
  server.close();
  // Once nothing is left for the event loop the process exits, and only then is "stopped" true.
  process.on('exit', (code) => code === 0 && console.log('stopped'));
  for (const socket of connections) if (!answering.has(socket)) socket.end(goodbye);
  setTimeout(() => {
    for (const socket of connections) socket.destroy();
  }, 3000).unref();
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

// Start-up failures (port in use, permission denied) are expected: one line, exit 1.
server.on('error', (error) => cli.cannotListen(error, host, port));
server.listen({ host, port }, () => {
  cli.printListening('tcp', server.address());
});
