/**
 * A web app with Fastify, the counterpart of the tutorials' Flask hello-world (000 §2.4, 002 §2.2), served over
 * HTTP, HTTPS (given a key and certificate) or HTTP/2 with HTTP/1.1 fallback (`--http2`): the routes (routes.ts)
 * stay the same, only the server under Fastify changes. Fastify turns Node's request timeouts off and by default
 * waits on keep-alive connections at close; this app sets both right, and on HTTP/2 sends GOAWAY when it drains.
 *
 * Run:    node examples/04-framework/src/app.ts
 * Try:    curl http://127.0.0.1:5000/   or, after make-certs.ts, app with --key certs/server.key --cert certs/server.crt --http2, and curl --cacert certs/ca.crt --http2 https://localhost:5000/
 * Expect: "Hello, world!"; with the certificates, "listening on https://127.0.0.1:5000" and the same answer over
 *         HTTP/2 (curl -v says which; HTTP/1.1 without --http2)
 * Stop:   Ctrl+C prints "SIGINT: no longer accepting; draining <n> request(s)", lets them finish, then "stopped"
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';
import type net from 'node:net';
import Fastify from 'fastify';
import * as cli from './cli.ts';
import { answerClientError } from './client-error.ts';
import { addRoutes } from './routes.ts';

const flags = cli.parseFlags(
  { name: 'app', about: 'A Fastify app: GET /, POST /echo, /notes, GET /sleep?ms=N, GET /boom (see routes.ts).' },
  {
    ...cli.listenOn(5000),
    key: cli.text(undefined, 'serve HTTPS with this private key (with --cert; make them with make-certs.ts)', {
      value: 'FILE',
    }),
    cert: cli.text(undefined, 'serve HTTPS with this certificate (with --key)', { value: 'FILE' }),
    http2: cli.toggle('serve HTTP/2, and HTTP/1.1 to clients that ask for it (needs --key and --cert)'),
    bodyLimit: cli.integer(1024 * 1024, 'larger request bodies get 413', { value: 'BYTES' }),
    headersTimeout: cli.duration(10_000, 'close a connection whose headers take longer', 100),
    requestTimeout: cli.duration(30_000, 'close a connection whose whole request takes longer', 100),
    maxSleepMs: cli.duration(10_000, 'the longest /sleep', 0),
    shutdownTimeout: cli.duration(10_000, 'on SIGINT/SIGTERM, wait at most MS for requests in flight', 0),
  },
);
const { host, port, bodyLimit, headersTimeout, maxSleepMs, shutdownTimeout: shutdownTimeoutMs } = flags;
if ((flags.key === undefined) !== (flags.cert === undefined)) cli.fail('--key and --cert go together');
if (flags.http2 && flags.key === undefined)
  cli.fail('--http2 needs --key and --cert: browsers speak HTTP/2 only over TLS');
const read = (file: string) => {
  try {
    return readFileSync(file);
  } catch (error) {
    cli.fail(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code}; make it with make-certs.ts`);
  }
};
const tls =
  flags.key && flags.cert ? { key: read(flags.key), cert: read(flags.cert), minVersion: 'TLSv1.2' as const } : null;

// The server is made here so its timeouts are ours: Fastify's defaults leave requestTimeout off,
// and Node checks for expired requests only every 30 s unless told otherwise. HTTP/2 runs over TLS
// with ALPN: in the handshake each client says "h2" or "http/1.1", and allowHTTP1 serves both.
const timeouts = {
  headersTimeout,
  requestTimeout: Math.max(flags.requestTimeout, headersTimeout),
  connectionsCheckingInterval: 250,
  keepAliveTimeout: 5000,
};
function makeServer(handler: http.RequestListener): http.Server {
  let server: http.Server | https.Server | http2.Http2SecureServer;
  if (!tls) server = http.createServer();
  else if (!flags.http2) server = https.createServer(tls);
  else server = http2.createSecureServer({ ...tls, allowHTTP1: true, settings: { maxConcurrentStreams: 100 } });
  server.on('request', handler);
  // Fastify's types know one kind of server per app; the routes use nothing that differs.
  return Object.assign(server, timeouts) as http.Server; // (on HTTP/2, for its HTTP/1.1 clients)
}
const app = Fastify({ logger: false, bodyLimit, serverFactory: makeServer, clientErrorHandler: answerClientError });
// An HTTP/2 session is one connection carrying many streams (requests); one silent too long is closed.
const sessions = new Set<http2.ServerHttp2Session>();
app.server.on('session', (session: http2.ServerHttp2Session) => {
  sessions.add(session);
  session.on('close', () => sessions.delete(session));
  session.setTimeout(timeouts.requestTimeout, () => session.close());
});
// Bodies are JSON here: without the text/plain parser Fastify has by default, any other
// Content-Type is refused with 415 instead of reaching a handler.
app.removeContentTypeParser('text/plain');

// Requests in flight, counted on the raw server, for the logs. While draining, each HTTP/1.1
// response also says "connection: close", so its keep-alive client does not keep the connection
// (and the shutdown) waiting; HTTP/2 says it once per connection, with GOAWAY.
let stopping = false;
const inFlight = new Set<http.ServerResponse | http2.Http2ServerResponse>();
const sayClose = (response: http.ServerResponse | http2.Http2ServerResponse) => {
  if (response instanceof http.ServerResponse && !response.headersSent) response.setHeader('connection', 'close');
};
const connections = new Set<net.Socket>();
app.server.on('connection', (socket: net.Socket) => {
  connections.add(socket);
  socket.on('close', () => connections.delete(socket));
});
app.server.prependListener('request', (_request, response: http.ServerResponse | http2.Http2ServerResponse) => {
  inFlight.add(response);
  response.on('close', () => inFlight.delete(response));
  if (stopping) sayClose(response);
});
addRoutes(app, { maxSleepMs, inFlight: () => inFlight.size });

// Shutdown: stop accepting, close idle keep-alive connections (server.close() does that since
// Node 19), tell each HTTP/2 client GOAWAY (its streams in flight finish, no new ones start) and
// let the requests in flight finish; app.close() runs Fastify's onClose hooks. Past the deadline
// the remaining connections are cut.
function shutdown(signal: NodeJS.Signals): void {
  if (cli.alreadyStopping(signal)) return;
  stopping = true;
  for (const response of inFlight) sayClose(response);
  // Stop accepting now: Fastify's close() would do it only after its preClose hooks have run.
  // The listening socket itself is released at the end of this turn of the event loop, so the
  // log line waits for that. Once the last connection has closed, nothing is left for the event
  // loop and the process exits: only then is "stopped" true.
  app.server.close();
  for (const session of sessions) session.close();
  void app.close();
  setImmediate(() => console.log(`${signal}: no longer accepting; draining ${inFlight.size} request(s)`));
  process.on('exit', (code) => code === 0 && console.log('stopped'));
  setTimeout(() => {
    console.error(`error: requests still running after ${shutdownTimeoutMs} ms; closing them`);
    for (const socket of connections) socket.destroy();
  }, shutdownTimeoutMs).unref();
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

// Start-up failures (port in use, permission denied) are expected: one line, exit 1.
try {
  await app.listen({ host, port });
} catch (error) {
  cli.cannotListen(error as NodeJS.ErrnoException, host, port);
}
cli.printListening(tls ? 'https' : 'http', app.server.address());
