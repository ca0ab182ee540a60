/**
 * A multi-user board over HTTPS, web development the way tutorial 002 §2.2 lists it (templates, forms, sessions,
 * a database) and with what its frameworks leave to you: escaped pages under a strict Content-Security-Policy,
 * server-side sessions in __Host- cookies renewed at login, scrypt passwords, throttled logins, CSRF refused in
 * layers, SQLite with migrations (node:sqlite: Node 22.13 or newer). The pieces are its sibling files.
 *
 * Run:    node examples/07-web/src/make-certs.ts && node examples/07-web/src/board.ts
 * Try:    open https://localhost:4443/ in a browser that trusts certs/ca.crt, or curl --cacert certs/ca.crt https://localhost:4443/
 * Expect: "listening on https://127.0.0.1:4443"; the board's page; register, log in, post
 * Stop:   Ctrl+C prints "SIGINT: no longer accepting; finishing the requests in flight", then "stopped"
 */
import { availableParallelism } from 'node:os';
import * as cli from './cli.ts';
import { answerClientError } from './client-error.ts';
import { intermediateTls } from './tls-profile.ts';

const flags = cli.parseFlags(
  { name: 'board', about: 'A multi-user board over HTTPS: accounts, sessions, posts, in SQLite.' },
  {
    ...cli.listenOn(4443),
    cert: cli.text('certs/server.crt', 'the server certificate (make-certs.ts writes it)', { value: 'FILE' }),
    key: cli.text('certs/server.key', 'its private key', { value: 'FILE' }),
    database: cli.text('board.db', 'the SQLite file, made and migrated at start', { value: 'FILE' }),
    scryptCost: cli.integer(17, 'scrypt N = 2^this (OWASP: 17); lower it for tests only', { min: 10, max: 20 }),
    hashesAtOnce: cli.integer(Math.max(1, availableParallelism() - 1), 'password hashes run at once', { min: 1 }),
    hashQueue: cli.integer(16, 'hashes that may wait their turn; past them, 503'),
    idleTimeout: cli.duration(30 * 60_000, 'a session unused this long ends', 1000),
    absoluteTimeout: cli.duration(8 * 3_600_000, 'a session this old ends, used or not', 1000),
    loginFailures: cli.integer(5, 'failed logins per account per 15 minutes, then 429', { min: 1 }),
    addressAttempts: cli.integer(30, 'logins and registrations per address per 15 minutes, then 429', { min: 1 }),
    bodyLimit: cli.integer(8192, 'larger form bodies get 413', { value: 'BYTES', min: 1024 }),
    headersTimeout: cli.duration(10_000, 'close a connection whose headers take longer', 100),
    requestTimeout: cli.duration(30_000, 'close a connection whose whole request takes longer', 100),
    shutdownTimeout: cli.duration(10_000, 'on SIGINT/SIGTERM, wait at most MS for requests in flight', 0),
  },
);

// node:sqlite is built into Node from 22.13 (earlier 22s only behind a flag). The modules that use it are loaded
// after this check, so an older Node gets one line instead of a stack trace.
if (!process.getBuiltinModule?.('node:sqlite')) {
  cli.fail(`board needs node:sqlite, built into Node 22.13 and newer; this is Node ${process.versions.node}`);
}
const { openDatabase } = await import('./database.ts');
const { sessionStore } = await import('./sessions.ts');
const { hashQueue } = await import('./hash-queue.ts');
const { buildBoard } = await import('./board-app.ts');

const { host, port } = flags;
const tls = { cert: cli.readFlagFile(flags.cert, '; make it with make-certs.ts'), key: cli.readFlagFile(flags.key) };
let database: ReturnType<typeof openDatabase>;
try {
  database = openDatabase(flags.database);
} catch (error) {
  cli.fail(`cannot open the database ${flags.database}: ${(error as Error).message}`);
}
const sessions = sessionStore(database, { idleMs: flags.idleTimeout, absoluteMs: flags.absoluteTimeout });
// Timed-out sessions are deleted when next used, and in bulk at start and once a minute, so rows of visitors who
// never came back do not pile up.
sessions.prune();
setInterval(() => sessions.prune(), 60_000).unref();
const board = {
  database,
  sessions,
  cost: { log2N: flags.scryptCost, r: 8, p: 1 },
  hash: hashQueue(flags.hashesAtOnce, flags.hashQueue),
  limits: { failuresPerAccount: flags.loginFailures, attemptsPerAddress: flags.addressAttempts, windowMs: 15 * 60_000 },
};
// Node checks for late headers every connectionsCheckingInterval: 30 s unless told otherwise.
const httpTimeouts = { headersTimeout: flags.headersTimeout, connectionsCheckingInterval: 250 };
const app = await buildBoard(board, {
  // Mozilla's intermediate profile (tls-profile.ts): TLS 1.2 and 1.3, forward-secret AEAD suites, no renegotiation.
  https: { ...tls, ...intermediateTls, ...httpTimeouts },
  bodyLimit: flags.bodyLimit,
  clientErrorHandler: answerClientError,
  requestTimeout: Math.max(flags.requestTimeout, flags.headersTimeout),
  keepAliveTimeout: 5000,
});

// Shutdown: stop accepting at once (Fastify's close() would only after its hooks; the socket is released at the end
// of this turn of the event loop, so the line waits for that). app.close() makes Fastify answer 503 to requests
// that arrive on connections already open; each keep-alive connection is closed as soon as it is idle; the
// server's close callback comes once the last request in flight is answered, and the database closes after it.
// "stopped" is printed as the process exits, when nothing of the board is left.
function shutdown(signal: NodeJS.Signals): void {
  if (cli.alreadyStopping(signal)) return;
  app.server.close(() => database.close());
  process.on('exit', (code) => code === 0 && console.log('stopped'));
  void app.close();
  setInterval(() => app.server.closeIdleConnections(), 100).unref();
  setImmediate(() => console.log(`${signal}: no longer accepting; finishing the requests in flight`));
  setTimeout(() => cli.fail(`requests still running after ${flags.shutdownTimeout} ms`), flags.shutdownTimeout).unref();
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

await app.listen({ host, port }).catch((error) => cli.cannotListen(error, host, port));
cli.printListening('https', app.server.address());
