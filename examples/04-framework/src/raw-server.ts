/**
 * An HTTP server with node:http and no framework: what a framework does for you, done by hand. This file is the
 * server: its timeouts, the requests Node's parser refuses, and a drain on Ctrl+C; its routes (raw-routes.ts) answer
 * GET / with hello, /inspect with the request as the server saw it, POST /echo with the parsed JSON. It mirrors the
 * request and response anatomy of tutorial 002 §3.2 (§3.2.1, §3.2.2), and sets what the tutorials leave out: a body
 * limit counted in bytes (413), header and request timeouts, errors as one-line logs and proper status codes.
 *
 * Run:    node examples/04-framework/src/raw-server.ts
 * Try:    curl -i http://127.0.0.1:8082/   and   curl -s -d 'hi' http://127.0.0.1:8082/inspect
 * Expect: "listening on http://127.0.0.1:8082"; curl gets "Hello, world!", then the request echoed as JSON with
 *         its body; /chunked answers "Transfer-Encoding: chunked"
 * Stop:   Ctrl+C prints "SIGINT: stopping, <n> request(s) in flight", lets them finish, then "stopped"
 */
import http from 'node:http';
import * as cli from './cli.ts';
import { answerClientError } from './client-error.ts';
import { answer } from './raw-routes.ts';

const flags = cli.parseFlags(
  { name: 'raw-server', about: 'An HTTP server with node:http alone: GET /, GET /chunked, /inspect, POST /echo.' },
  {
    ...cli.listenOn(8082),
    bodyLimit: cli.integer(1024 * 1024, 'larger request bodies get 413', { value: 'BYTES' }),
    headersTimeout: cli.duration(10_000, 'close a connection whose headers take longer', 100),
    requestTimeout: cli.duration(30_000, 'close a connection whose whole request takes longer', 100),
    shutdownTimeout: cli.duration(10_000, 'on SIGINT/SIGTERM, wait at most MS for requests in flight', 0),
  },
);
const { host, port, bodyLimit, headersTimeout, shutdownTimeout: shutdownTimeoutMs } = flags;
const requestTimeout = Math.max(flags.requestTimeout, headersTimeout);

const inFlight = new Set<http.ServerResponse>();
let stopping = false;
// connectionsCheckingInterval: how often Node looks for connections past headersTimeout or
// requestTimeout. Its default (30 s) would let a slow client linger far past the timeouts.
const timeouts = { headersTimeout, requestTimeout, keepAliveTimeout: 5000, connectionsCheckingInterval: 250 };
const server = http.createServer(timeouts, (request, response) => {
  inFlight.add(response);
  response.on('close', () => inFlight.delete(response));
  // While draining, each response tells its keep-alive client to close the connection.
  if (stopping) response.setHeader('connection', 'close');
  answer(request, response, bodyLimit);
});

// Requests Node's parser rejects (a malformed request line, headers over 16 KiB, a timeout) never
// reach the handler: client-error.ts answers them with their status and closes the connection.
server.on('clientError', answerClientError);

// Shutdown: stop accepting, close idle keep-alive connections now, let requests in flight
// finish (their responses carry "connection: close"), then exit. Past the deadline, cut them.
function shutdown(signal: NodeJS.Signals): void {
  if (cli.alreadyStopping(signal)) return;
  stopping = true;
  console.log(`${signal}: stopping, ${inFlight.size} request(s) in flight`);
  for (const response of inFlight) if (!response.headersSent) response.setHeader('connection', 'close');
  server.close(() => console.log('stopped'));
  server.closeIdleConnections();
  setTimeout(() => {
    console.error(`error: requests still running after ${shutdownTimeoutMs} ms; closing them`);
    server.closeAllConnections();
  }, shutdownTimeoutMs).unref();
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

// Start-up failures (port in use, permission denied) are expected: one line, exit 1.
server.on('error', (error) => cli.cannotListen(error, host, port));
server.listen({ host, port }, () => cli.printListening('http', server.address()));
