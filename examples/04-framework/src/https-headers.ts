/**
 * The headers app's answers carry over HTTPS, and only there: four headers set by hand are smaller than
 * @fastify/helmet, whose defaults are made for HTML pages. They follow OWASP's advice for a JSON API; the web board
 * (07-web) sets its own, for pages.
 */
import type { FastifyInstance } from 'fastify';

export const httpsHeaders = {
  // A browser that has seen this over HTTPS uses only HTTPS for this host for max-age seconds. A development
  // certificate may be gone next week, so five minutes; a site with a public certificate says a year (31536000),
  // adds includeSubDomains once every subdomain serves HTTPS, and may then ask browsers to preload it.
  'strict-transport-security': 'max-age=300',
  // Take the Content-Type at its word: a browser must never sniff a JSON answer into a script or a page.
  'x-content-type-options': 'nosniff',
  // An answer is data, not a page: it may load nothing, and no page may frame it.
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  // Answers may carry someone's data, so no cache on the way keeps a copy.
  'cache-control': 'no-store',
};

/** Sets the headers on every answer, errors and 404s included; over plain HTTP they would promise nothing. */
export function addHttpsHeaders(app: FastifyInstance): void {
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(httpsHeaders);
    done();
  });
}
