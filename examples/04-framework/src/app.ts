/**
 * A web app with Fastify, the counterpart of the tutorials' Flask hello-world (000 §2.4, 002 §2.2), served over
 * HTTP, HTTPS (given a key and certificate) or HTTP/2 with HTTP/1.1 fallback (`--http2`): the routes (routes.ts)
 * stay the same, only the server under Fastify changes (app-server.ts). Fastify turns Node's request timeouts off and
 * by default waits on keep-alive connections at close; this app sets both right, and on HTTP/2 sends GOAWAY when it
 * drains (drain.ts).
 *
 * Run:    node examples/04-framework/src/app.ts
 * Try:    curl http://127.0.0.1:5000/   or, after make-certs.ts, app with --key certs/server.key --cert certs/server.crt --http2, and curl --cacert certs/ca.crt --http2 https://localhost:5000/
 * Expect: "Hello, world!"; with the certificates, "listening on https://127.0.0.1:5000" and the same answer over
 *         HTTP/2 (curl -v says which; HTTP/1.1 without --http2)
 * Stop:   Ctrl+C prints "SIGINT: no longer accepting; draining <n> request(s)", lets them finish, then "stopped"
 */
import Fastify from 'fastify';
import { chooseServer } from './app-server.ts';
import * as cli from './cli.ts';
import { answerClientError } from './client-error.ts';
import { trackRequests } from './drain.ts';
import { addHttpsHeaders } from './https-headers.ts';
import { keepNextTickFast } from './next-tick-cache.ts';
import { addRoutes } from './routes.ts';

const flags = cli.parseFlags(
  { name: 'app', about: 'A Fastify app: GET /, POST /echo, /notes, GET /sleep?ms=N, GET /boom (see routes.ts).' },
  {
    ...cli.listenOn(5000),
    key: cli.text(undefined, 'serve HTTPS with this private key (with --cert; see make-certs.ts)', { value: 'FILE' }),
    cert: cli.text(undefined, 'serve HTTPS with this certificate (with --key)', { value: 'FILE' }),
    http2: cli.toggle('serve HTTP/2, and HTTP/1.1 to clients that ask for it (needs --key and --cert)'),
    bodyLimit: cli.integer(1024 * 1024, 'larger request bodies get 413', { value: 'BYTES' }),
    headersTimeout: cli.duration(10_000, 'close a connection whose headers take longer', 100),
    requestTimeout: cli.duration(30_000, 'close a connection whose whole request takes longer', 100),
    maxSleepMs: cli.duration(10_000, 'the longest /sleep', 0),
    shutdownTimeout: cli.duration(10_000, 'on SIGINT/SIGTERM, wait at most MS for requests in flight', 0),
  },
);
const { host, port, bodyLimit, maxSleepMs, shutdownTimeout: shutdownTimeoutMs } = flags;
keepNextTickFast(); // before Fastify compiles the schemas: see next-tick-cache.ts

// The requests in flight, the connections and the sessions, for the shutdown below (drain.ts).
const requests = trackRequests();
// Plain HTTP, HTTPS or HTTP/2 (app-server.ts): the routes below do not change with it.
const { scheme, serverFactory } = chooseServer(flags, requests);
const app = Fastify({ logger: false, bodyLimit, serverFactory, clientErrorHandler: answerClientError });
// Bodies are JSON here: without the text/plain parser Fastify has by default, any other
// Content-Type is refused with 415 instead of reaching a handler.
app.removeContentTypeParser('text/plain');
addRoutes(app, { maxSleepMs, inFlight: requests.inFlight });
// Over HTTPS: Strict-Transport-Security, nosniff and the rest that fits a JSON API (https-headers.ts).
if (scheme === 'https') addHttpsHeaders(app);

// Shutdown: stop accepting now (Fastify's close() would do it only after its preClose hooks), close idle
// keep-alive connections, tell each HTTP/2 client GOAWAY and let the requests in flight finish (drain.ts);
// app.close() runs Fastify's onClose hooks. The listening socket is released at the end of this turn of the
// event loop, so the log line waits for that; "stopped" is true only once the last connection has closed and
// the process exits. Past the deadline the remaining connections are cut.
function shutdown(signal: NodeJS.Signals): void {
  if (cli.alreadyStopping(signal)) return;
  requests.drain(shutdownTimeoutMs);
  void app.close();
  setImmediate(() => console.log(`${signal}: no longer accepting; draining ${requests.inFlight()} request(s)`));
  process.on('exit', (code) => code === 0 && console.log('stopped'));
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

// Start-up failures (port in use, permission denied) are expected: one line, exit 1.
await app.listen({ host, port }).catch((error) => cli.cannotListen(error, host, port));
cli.printListening(scheme, app.server.address());
