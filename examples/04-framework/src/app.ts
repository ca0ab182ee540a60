/**
 * A web app with Fastify, the counterpart of the tutorials' Flask hello-world (000 §2.4, 002 §2.2): routes declared
 * with a JSON schema each, so bad input is a 400 before a handler runs; a small in-memory resource (notes) with the
 * usual status codes; an async route to show draining; and errors as JSON without stack traces. Fastify turns Node's
 * request timeouts off and by default waits on keep-alive connections at close; this app sets both right.
 *
 * Run:    node examples/04-framework/src/app.ts
 * Try:    curl http://127.0.0.1:5000/   and   curl -s -H 'content-type: application/json' -d '{"text":"hi"}' http://127.0.0.1:5000/notes
 * Expect: "Hello, world!", then {"id":1,"text":"hi",...} with status 201
 * Stop:   Ctrl+C prints "SIGINT: no longer accepting; draining N request(s)", lets them finish, then "stopped"
 */
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import Fastify, { type FastifyError } from 'fastify';
import * as cli from './cli.ts';

const flags = cli.parseFlags(
  {
    name: 'app',
    about: `A Fastify app:
  GET /                          Hello, world!
  POST /echo {"message": "..."}  the message back, validated by a schema
  GET /notes, POST /notes {"text": "..."}, GET /notes/:id, DELETE /notes/:id
  GET /sleep?ms=N                answers after N ms (capped), to see draining
  GET /boom                      a handler that throws: a 500 without a stack trace`,
  },
  {
    ...cli.listenOn(5000),
    bodyLimit: cli.integer(1024 * 1024, 'larger request bodies get 413', { value: 'BYTES' }),
    headersTimeout: cli.duration(10_000, 'close a connection whose headers take longer', 100),
    requestTimeout: cli.duration(30_000, 'close a connection whose whole request takes longer', 100),
    maxSleepMs: cli.duration(10_000, 'the longest /sleep', 0),
    shutdownTimeout: cli.duration(10_000, 'on SIGINT/SIGTERM, wait at most MS for requests in flight', 0),
  },
);
const { host, port, bodyLimit, headersTimeout: headersTimeoutMs, maxSleepMs } = flags;
const { shutdownTimeout: shutdownTimeoutMs } = flags;
const requestTimeoutMs = Math.max(flags.requestTimeout, headersTimeoutMs);
const maxNotes = 1000;

// The HTTP server is made here so its timeouts are ours: Fastify's defaults leave requestTimeout
// off, and Node checks for expired requests only every 30 s unless told otherwise.
const app = Fastify({
  logger: false,
  bodyLimit,
  serverFactory: (handler) =>
    http.createServer(
      {
        headersTimeout: headersTimeoutMs,
        requestTimeout: requestTimeoutMs,
        connectionsCheckingInterval: 250,
      },
      handler,
    ),
});
app.server.keepAliveTimeout = 5000;
// Bodies are JSON here: without the text/plain parser Fastify has by default, any other
// Content-Type is refused with 415 instead of reaching a handler.
app.removeContentTypeParser('text/plain');

// Errors, in one shape: {statusCode, error, message}. Fastify has already chosen the status for
// bad JSON (400), a failed schema (400), a body over the limit (413) and a wrong media type (415).
// Anything else is a bug: logged in one line, answered 500 without details.
app.setErrorHandler((error: FastifyError, request, reply) => {
  const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
  if (status === 500) console.error(`error ${request.method} ${request.url}: ${error.message}`);
  const message = status === 500 ? 'something went wrong on our side' : error.message;
  reply.code(status).send({ statusCode: status, error: http.STATUS_CODES[status], message });
});
app.setNotFoundHandler((request, reply) => {
  reply
    .code(404)
    .send({ statusCode: 404, error: 'Not Found', message: `no route for ${request.method} ${request.url}` });
});

// Requests in flight, counted on the raw server, for the logs. While draining, each response
// also says "connection: close", so its keep-alive client does not keep the connection (and the
// shutdown) waiting. (A Fastify onSend hook could set it too, but would run on every response.)
let stopping = false;
const inFlight = new Set<http.ServerResponse>();
app.server.on('request', (_request: http.IncomingMessage, response: http.ServerResponse) => {
  inFlight.add(response);
  response.on('close', () => inFlight.delete(response));
  if (stopping) response.setHeader('connection', 'close');
});

// @app.route('/') in Flask; the same one line here.
app.get('/', async (_request, reply) => reply.type('text/plain; charset=utf-8').send('Hello, world!'));

app.post(
  '/echo',
  {
    schema: {
      body: {
        type: 'object',
        required: ['message'],
        additionalProperties: false,
        properties: { message: { type: 'string', minLength: 1, maxLength: 1000 } },
      },
    },
  },
  async (request) => ({ youSent: request.body }),
);

// A resource: the status codes carry the meaning (201 created, 204 deleted, 404 not there).
interface Note {
  id: number;
  text: string;
  createdAt: string;
}
const notes = new Map<number, Note>();
let nextId = 1;
const idParams = { type: 'object', properties: { id: { type: 'integer', minimum: 1 } }, required: ['id'] };

app.get('/notes', async () => [...notes.values()]);
app.post<{ Body: { text: string } }>(
  '/notes',
  {
    schema: {
      body: {
        type: 'object',
        required: ['text'],
        additionalProperties: false,
        properties: { text: { type: 'string', minLength: 1, maxLength: 1000 } },
      },
    },
  },
  async (request, reply) => {
    if (notes.size >= maxNotes)
      return reply
        .code(507)
        .send({ statusCode: 507, error: 'Insufficient Storage', message: `at most ${maxNotes} notes` });
    const note = { id: nextId++, text: request.body.text, createdAt: new Date().toISOString() };
    notes.set(note.id, note);
    return reply.code(201).header('location', `/notes/${note.id}`).send(note);
  },
);
app.get<{ Params: { id: number } }>('/notes/:id', { schema: { params: idParams } }, async (request, reply) => {
  const note = notes.get(request.params.id);
  return note ?? reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `no note ${request.params.id}` });
});
app.delete<{ Params: { id: number } }>('/notes/:id', { schema: { params: idParams } }, async (request, reply) => {
  if (!notes.delete(request.params.id)) {
    return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `no note ${request.params.id}` });
  }
  return reply.code(204).send();
});

// An async handler: while it awaits, the server answers everyone else.
app.get<{ Querystring: { ms: number } }>(
  '/sleep',
  {
    schema: {
      querystring: {
        type: 'object',
        properties: { ms: { type: 'integer', minimum: 0, maximum: maxSleepMs } },
        required: ['ms'],
      },
    },
  },
  async (request) => {
    console.log(`sleeping ${request.query.ms} ms, ${inFlight.size} request(s) in flight`);
    await sleep(request.query.ms);
    return { slept: request.query.ms };
  },
);
app.get('/boom', async () => {
  throw new Error('a bug in a handler');
});

// Shutdown: stop accepting, close idle keep-alive connections (server.close() does that since
// Node 19) and let the requests in flight finish; app.close() runs Fastify's onClose hooks.
// Past the deadline the remaining connections are cut.
function shutdown(signal: NodeJS.Signals): void {
  if (cli.alreadyStopping(signal)) return;
  stopping = true;
  for (const response of inFlight) if (!response.headersSent) response.setHeader('connection', 'close');
  // Stop accepting now: Fastify's close() would do it only after its preClose hooks have run.
  // The listening socket itself is released at the end of this turn of the event loop, so the
  // log line waits for that. Once the last connection has closed, nothing is left for the event
  // loop and the process exits: only then is "stopped" true.
  app.server.close();
  void app.close();
  setImmediate(() => console.log(`${signal}: no longer accepting; draining ${inFlight.size} request(s)`));
  process.on('exit', (code) => code === 0 && console.log('stopped'));
  setTimeout(() => {
    console.error(`error: requests still running after ${shutdownTimeoutMs} ms; closing them`);
    app.server.closeAllConnections();
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
cli.printListening('http', app.server.address());
