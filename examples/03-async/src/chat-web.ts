/**
 * The chat room's web door (003 §5): a browser cannot open a TCP socket, so this serves a page and bridges each of
 * its WebSocket users to chat-server as one TCP connection, a line per message each way. Browser and terminal users
 * are in the same room, under the room's own rules (nicknames, line size, slow readers); the bridge adds the web's:
 * an Origin allow-list, a message size and rate cap, ping/pong, and backpressure carried across both sockets.
 *
 * Run:    node examples/03-async/src/chat-web.ts     (with chat-server running), then open http://127.0.0.1:8072/
 * Try:    a second browser tab, and node examples/03-async/src/chat-client.ts --nick carol in a terminal
 * Expect: what one types shows at the other two, "* <nick> joined" when a page joins; the server logs
 *         "connected 127.0.0.1:<port>" and "closed 127.0.0.1:<port> (<code>)" per page; a foreign page gets 403
 * Stop:   Ctrl+C prints "SIGINT: closing <n> page(s)", closes each with code 1001 (going away), then "stopped"
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import * as cli from './cli.ts';
import { readLines } from './read-lines.ts';

const flags = cli.parseFlags(
  { name: 'chat-web', about: 'Serves the chat page and bridges each WebSocket user to chat-server over TCP.' },
  {
    ...cli.listenOn(8072),
    roomHost: cli.text('127.0.0.1', "chat-server's address", { value: 'HOST' }),
    roomPort: cli.integer(8071, "chat-server's port", { min: 1, max: 65535 }),
    allowOrigin: cli.list("also accept pages from this origin (default: only this server's own)", 'ORIGIN'),
    maxUsers: cli.integer(100, 'refuse WebSocket users beyond N', { min: 1, max: 100_000 }),
    maxMessageBytes: cli.integer(1000, 'close a user who sends a longer message', { min: 1, max: 4096 }),
    maxMessageRate: cli.integer(5, 'messages per second a user may send (bursts of twice that)', { min: 1 }),
    maxBufferedBytes: cli.integer(1024 * 1024, 'a page with more unsent bytes is behind: stop reading for it'),
    slowReaderTimeout: cli.duration(3000, 'close a page that stays behind for MS'),
    pingInterval: cli.duration(30_000, 'ping every page each MS; close one that did not answer the last ping'),
  },
);
const { host, port, roomHost, roomPort, maxMessageBytes, maxMessageRate, maxBufferedBytes } = flags;

// The page is three fixed files, read once: no path from a request ever reaches the file system.
const page = (file: string, type: string) => ({
  body: readFileSync(new URL(`../public/${file}`, import.meta.url)),
  type,
});
const files = new Map([
  ['/', page('index.html', 'text/html; charset=utf-8')],
  ['/chat.js', page('chat.js', 'text/javascript; charset=utf-8')],
  ['/chat.css', page('chat.css', 'text/css; charset=utf-8')],
]);
const server = http.createServer((request, response) => {
  const file = request.method === 'GET' ? files.get(request.url ?? '') : undefined;
  if (!file) return void response.writeHead(404).end('not found\n');
  // The page runs only its own script and connects only back here (a second guard against injection).
  const policy = "default-src 'self'; connect-src 'self'; script-src 'self'; style-src 'self'";
  response.writeHead(200, { 'content-type': file.type, 'content-security-policy': policy }).end(file.body);
});

// Cross-site WebSocket hijacking: any page on any site can open a WebSocket to this server, and
// browsers do not stop it. They do send the page's Origin; only our own page (and those allowed) get in.
const users = new Set<WebSocket>();
const sockets = new WebSocketServer({ noServer: true, maxPayload: maxMessageBytes });
server.on('upgrade', (request, socket, head) => {
  const origin = request.headers.origin;
  // Not the Host header: a DNS-rebinding page (evil.example resolving to 127.0.0.1) would match it.
  const bound = (server.address() as AddressInfo).port;
  const own = [`http://127.0.0.1:${bound}`, `http://localhost:${bound}`];
  const refusal =
    request.url !== '/chat'
      ? '404 Not Found'
      : origin !== undefined && ![...own, ...flags.allowOrigin].includes(origin)
        ? '403 Forbidden'
        : users.size >= flags.maxUsers
          ? '503 Service Unavailable'
          : undefined;
  if (refusal) {
    console.error(`refused a WebSocket from ${cli.printable(origin ?? 'no origin')}: ${refusal}`);
    return void socket.end(`HTTP/1.1 ${refusal}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
  }
  const peer = `${request.socket.remoteAddress}:${request.socket.remotePort}`;
  sockets.handleUpgrade(request, socket, head, (user) => bridge(user, peer));
});

// One user: a WebSocket to the browser, a TCP connection to the room, and the lines between them.
function bridge(user: WebSocket, peer: string): void {
  users.add(user);
  console.log(`connected ${peer}`);
  const room = net.connect({ host: roomHost, port: roomPort });
  room.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'ECONNREFUSED')
      user.send(`error: the room is not open (is chat-server running on ${roomPort}?)`);
    user.close(1011, 'the room connection failed');
  });
  user.on('close', (code) => {
    users.delete(user);
    console.log(`closed ${peer} (${code})`);
    room.end();
  });
  // A broken frame, or one over --max-message-bytes: ws closes the user (1002, 1009) and reports it here.
  user.on('error', (error) => console.error(`closed a page: ${error.message}`));

  // Browser → room: one message is one line. Too long, several lines, or too fast: closed, with the reason.
  let tokens = 2 * maxMessageRate;
  const refill = setInterval(() => {
    tokens = Math.min(2 * maxMessageRate, tokens + maxMessageRate);
  }, 1000);
  user.on('close', () => clearInterval(refill));
  user.on('message', (data, isBinary) => {
    const text = data.toString();
    if (!room.writable) return; // the room has gone; the close is on its way
    if (isBinary || text.includes('\n')) return user.close(1003, 'one line of text per message');
    if (--tokens < 0) return user.close(1008, `more than ${maxMessageRate} messages a second`);
    // If the room reads slower than this user types, stop reading the user until it catches up.
    if (!room.write(`${text}\n`)) {
      user.pause();
      room.once('drain', () => user.resume());
    }
  });

  // Room → browser: each line one message. A page that falls behind stops the reading from the room,
  // so the room's own slow-reader rule applies to it; one that stays behind is closed.
  void (async () => {
    for await (const line of readLines(room, 64 * 1024)) {
      if (user.readyState !== user.OPEN) break;
      user.send(line.replace(/\r?\n$/, ''));
      if (user.bufferedAmount > maxBufferedBytes) await caughtUp(user);
    }
  })()
    .catch(() => room.destroy())
    // The room's last line (a "bye", an error) has gone out: now close, saying why.
    .finally(() => user.close(stopping ? 1001 : 1000, stopping ? 'server shutting down' : 'the room closed'));

  // A page that vanished without closing (a laptop lid, a lost network) is found by a missed pong.
  let alive = true;
  user.on('pong', () => {
    alive = true;
  });
  const pinger = setInterval(() => {
    if (!alive) return user.terminate();
    alive = false;
    user.ping();
  }, flags.pingInterval);
  user.on('close', () => clearInterval(pinger));
}

/**
 * Resolves once the page has taken in what was sent, or closes it after --slow-reader-timeout.
 * A WebSocket has no 'drain' event, so bufferedAmount is looked at every 50 ms while it is behind.
 */
function caughtUp(user: WebSocket): Promise<void> {
  return new Promise((resolve) => {
    const started = Date.now();
    const check = setInterval(() => {
      const behind = user.bufferedAmount > maxBufferedBytes && user.readyState === user.OPEN;
      if (behind && Date.now() - started > flags.slowReaderTimeout) user.terminate();
      if (behind && user.readyState === user.OPEN) return;
      clearInterval(check);
      resolve();
    }, 50);
  });
}

// Shutdown: refuse new users, tell each page "going away" (1001), and end its room connection.
let stopping = false;
function shutdown(signal: NodeJS.Signals): void {
  if (cli.alreadyStopping(signal)) return;
  stopping = true;
  console.log(`${signal}: closing ${users.size} page(s)`);
  server.close();
  for (const user of users) user.close(1001, 'server shutting down');
  process.on('exit', (code) => code === 0 && console.log('stopped'));
  setTimeout(() => {
    for (const user of users) user.terminate();
  }, 3000).unref();
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

// Start-up failures (port in use, permission denied) are expected: one line, exit 1.
server.on('error', (error) => cli.cannotListen(error, host, port));
server.listen({ host, port }, () => cli.printListening('http', server.address()));
