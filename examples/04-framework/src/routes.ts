/**
 * The routes of app.ts, the Fastify counterpart of the tutorials' Flask routes (000 §2.4): each declared with a JSON
 * schema, so bad input is a 400 before a handler runs; a small in-memory resource (notes) with the usual status codes;
 * an async route to show draining; and errors as JSON without stack traces. They are the same whichever server
 * (HTTP, HTTPS or HTTP/2) app.ts puts under them.
 */
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyError, FastifyInstance } from 'fastify';

interface Note {
  id: number;
  text: string;
  createdAt: string;
}
const maxNotes = 1000;

export function addRoutes(app: FastifyInstance, limits: { maxSleepMs: number; inFlight: () => number }): void {
  // Errors, in one shape: {statusCode, error, message}. Fastify has already chosen the status for
  // bad JSON (400), a failed schema (400), a body over the limit (413) and a wrong media type (415).
  // Anything else is a bug: logged in one line, answered 500 without details.
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (status === 500) console.error(`error ${request.method} ${request.url}: ${error.message}`);
    const message = status === 500 ? 'something went wrong on our side' : error.message;
    // Fastify marks a body it could not read "connection: close". HTTP/2 has no such header (one
    // connection carries many requests) and Node warns on it (fastify/fastify#7034, still open).
    if (request.raw.httpVersionMajor === 2) reply.removeHeader('connection');
    reply.code(status).send({ statusCode: status, error: http.STATUS_CODES[status], message });
  });
  app.setNotFoundHandler((request, reply) => {
    reply
      .code(404)
      .send({ statusCode: 404, error: 'Not Found', message: `no route for ${request.method} ${request.url}` });
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
    return (
      note ?? reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `no note ${request.params.id}` })
    );
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
          properties: { ms: { type: 'integer', minimum: 0, maximum: limits.maxSleepMs } },
          required: ['ms'],
        },
      },
    },
    async (request) => {
      console.log(`sleeping ${request.query.ms} ms, ${limits.inFlight()} request(s) in flight`);
      await sleep(request.query.ms);
      return { slept: request.query.ms };
    },
  );
  app.get('/boom', async () => {
    throw new Error('a bug in a handler');
  });
}
