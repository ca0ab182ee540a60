/**
 * HTTP probes with a timeout. By default each request gets a new connection (no keep-alive agent,
 * so each request is accepted afresh, which is what spreads requests over a cluster's workers).
 */
import http from 'node:http';
import https from 'node:https';
import type tls from 'node:tls';

export interface HttpReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  elapsedMs: number;
}

export interface HttpRequestOptions {
  host?: string;
  method?: string;
  timeoutMs?: number;
  /** A keep-alive agent to reuse connections; by default each request gets a new connection. */
  agent?: http.Agent;
  /** Over HTTPS, verified with these options (the CA, the name to expect). */
  tls?: tls.ConnectionOptions;
}

/**
 * Starts a request. `sent` settles once the request has been written to the socket, so a caller
 * can order requests on the server's side; `reply` settles with the whole response.
 */
export function startRequest(
  port: number,
  path: string,
  { host = '127.0.0.1', method = 'GET', timeoutMs = 10_000, agent, tls }: HttpRequestOptions = {},
): { sent: Promise<void>; reply: Promise<HttpReply> } {
  const started = performance.now();
  const options = { host, port, path, method, agent: agent ?? false, timeout: timeoutMs };
  const request = tls ? https.request({ ...options, ...tls }) : http.request(options);
  const sent = new Promise<void>((resolve, reject) => {
    request.once('finish', resolve);
    request.once('error', reject);
  });
  const reply = new Promise<HttpReply>((resolve, reject) => {
    request.once('timeout', () => request.destroy(new Error(`${method} ${path} timed out after ${timeoutMs} ms`)));
    request.once('error', reject);
    request.once('response', (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (text: string) => {
        body += text;
      });
      response.once('end', () => {
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body,
          elapsedMs: performance.now() - started,
        });
      });
      response.once('error', reject);
    });
  });
  sent.catch(() => {}); // The same failure rejects `reply`, which callers await.
  request.end();
  return { sent, reply };
}

export function httpGet(port: number, path: string, options?: HttpRequestOptions): Promise<HttpReply> {
  return startRequest(port, path, options).reply;
}
