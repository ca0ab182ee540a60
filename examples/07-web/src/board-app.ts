/**
 * The board as a Fastify app: the plugins, the hooks every request passes through (its session, the CSRF checks
 * for every POST, the security headers for every answer), the error pages, and the routes of accounts.ts and
 * posts.ts. board.ts, the program, gives it a database and a server.
 */
import { readFileSync } from 'node:fs';
import { STATUS_CODES } from 'node:http';
import type https from 'node:https';
import type { DatabaseSync } from 'node:sqlite';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import Fastify, {
  type FastifyHttpsOptions,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import { accountRoutes, type Limits } from './accounts.ts';
import * as cli from './cli.ts';
import { crossSiteReason, tokenMatches } from './csrf.ts';
import type { hashQueue } from './hash-queue.ts';
import type { SafeHtml } from './html.ts';
import { messagePage, type Viewer } from './pages.ts';
import type { Cost } from './passwords.ts';
import { postRoutes } from './posts.ts';
import { cookieName, cookieOptions, type Session, type SessionStore } from './sessions.ts';

declare module 'fastify' {
  interface FastifyRequest {
    session: Session | undefined;
  }
}
export interface Board {
  database: DatabaseSync;
  sessions: SessionStore;
  cost: Cost;
  hash: ReturnType<typeof hashQueue>;
  limits: Limits;
}

// No script may run and no style may be inline; forms post only here; no other site may frame the board.
const policy =
  "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
const securityHeaders = {
  'content-security-policy': policy,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  // Browsers remember for max-age seconds to come only over HTTPS. A development certificate may be gone next
  // week, so an hour; a public site with a real certificate says a year (31536000).
  'strict-transport-security': 'max-age=3600',
};
const stylesheet = readFileSync(new URL('../public/board.css', import.meta.url));

export const viewerOf = (request: FastifyRequest): Viewer => ({
  name: request.session?.userName ?? null,
  csrfToken: request.session?.csrfToken ?? null,
});
export const sendPage = (reply: FastifyReply, page: SafeHtml, status = 200) =>
  reply.code(status).type('text/html; charset=utf-8').send(page.text);
export const refuse = (request: FastifyRequest, reply: FastifyReply, status: number, title: string, why: string) =>
  sendPage(reply, messagePage(viewerOf(request), title, why), status);

/** Ends the visitor's session, if any, and starts another: a new token at login and at logout. */
export function startSession(
  board: Board,
  request: FastifyRequest,
  reply: FastifyReply,
  user: { id: number; name: string } | null,
) {
  if (request.session) board.sessions.end(request.session);
  const { token, session } = board.sessions.start(user);
  request.session = session;
  reply.setCookie(cookieName, token, cookieOptions);
}

export async function buildBoard(board: Board, options: FastifyHttpsOptions<https.Server>) {
  // Fastify's types know one kind of server per app; the routes use nothing that differs over HTTPS.
  const app = Fastify(options) as unknown as FastifyInstance;
  await app.register(cookie);
  // Forms are the only bodies the board reads: without Fastify's JSON and text parsers, anything else gets 415.
  app.removeAllContentTypeParsers();
  await app.register(formbody);
  await app.register(rateLimit, { global: false });
  app.decorateRequest('session', undefined);

  app.addHook('onRequest', async (_request, reply) => {
    reply.headers(securityHeaders).header('cache-control', 'no-store');
  });
  // Runs once the body is parsed, so the form's CSRF token can be read.
  app.addHook('preHandler', async (request, reply) => {
    request.session = board.sessions.load(request.cookies[cookieName]);
    if (request.method !== 'POST') return;
    const token = (request.body as Record<string, unknown> | undefined)?.csrf;
    const reason =
      crossSiteReason(request.headers, `https://${request.host}`) ??
      (request.session && tokenMatches(request.session.csrfToken, token) ? undefined : 'no valid CSRF token');
    if (reason === undefined) return;
    console.error(`refused POST ${cli.printable(request.url)} from ${request.ip}: ${cli.printable(reason)}`);
    return refuse(
      request,
      reply,
      403,
      'Refused',
      'This form did not come from this board. Reload the page and try again.',
    );
  });

  app.get('/board.css', async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'max-age=3600').send(stylesheet),
  );
  // Browsers ask for an icon on every site; "none" is an answer, where a 404 would be an error in their console.
  app.get('/favicon.ico', async (_request, reply) => reply.code(204).send());
  accountRoutes(app, board);
  postRoutes(app, board);

  app.setNotFoundHandler((request, reply) => refuse(request, reply, 404, 'Not found', 'There is no such page.'));
  // Fastify's own errors (a body over the limit, a bad query) keep their status; anything else is a 500
  // whose details go to the log, never to the visitor.
  app.setErrorHandler((error: { statusCode?: number; message: string }, request, reply) => {
    const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 500;
    if (status < 500) return refuse(request, reply, status, STATUS_CODES[status] ?? 'Bad request', error.message);
    console.error(`error: ${request.method} ${cli.printable(request.url)}: ${cli.printable(error.message)}`);
    return refuse(request, reply, 500, 'Something went wrong', 'The board could not answer that. Try again later.');
  });
  return app;
}
