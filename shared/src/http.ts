/**
 * HTTP probes with a timeout. By default each request gets a new connection (no keep-alive agent,
 * so each request is accepted afresh, which is what spreads requests over a cluster's workers).
 */
import http from 'node:http';

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
}

/**
 * Starts a request. `sent` settles once the request has been written to the socket, so a caller
 * can order requests on the server's side; `reply` settles with the whole response.
 */
export function startRequest(
  port: number,
  path: string,
  { host = '127.0.0.1', method = 'GET', timeoutMs = 10_000, agent }: HttpRequestOptions = {},
): { sent: Promise<void>; reply: Promise<HttpReply> } {
  const started = performance.now();
  const request = http.request({ host, port, path, method, agent: agent ?? false, timeout: timeoutMs });
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
