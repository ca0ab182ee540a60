/**
 * The chat room's web door (003 §5): a browser cannot open a TCP socket, so this serves a page and bridges each of
 * its WebSocket users to chat-server as one TCP connection, a line per message each way (chat-bridge.ts). Browser and
 * terminal users are in the same room, under the room's own rules (nicknames, line size, slow readers); this door adds
 * the web's: an Origin allow-list and a cap on users and message size, and the bridge a rate cap, ping/pong and
 * backpressure carried across both sockets.
 *
 * Run:    node examples/03-async/src/chat-web.ts     (with chat-server running), then open http://127.0.0.1:8072/
 * Try:    a second browser tab, and node examples/03-async/src/chat-client.ts --nick carol in a terminal
 * Expect: what one types shows at the other two, "* <nick> joined" when a page joins; the server logs
 *         "connected 127.0.0.1:<port>" and "closed 127.0.0.1:<port> (<code>)" per page; a foreign page gets 403
 * Stop:   Ctrl+C prints "SIGINT: closing <n> page(s)", closes each with code 1001 (going away), then "stopped"
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { bridge } from './chat-bridge.ts';
import * as cli from './cli.ts';

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
const { host, port, maxMessageBytes } = flags;

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
  sockets.handleUpgrade(request, socket, head, (user) => {
    users.add(user);
    console.log(`connected ${peer}`);
    user.on('close', (code) => {
      users.delete(user);
      console.log(`closed ${peer} (${code})`);
    });
    // One user: a WebSocket to the page, a TCP connection to the room, the lines between (chat-bridge.ts).
    bridge(user, { ...flags, stopping: () => stopping });
  });
});

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
