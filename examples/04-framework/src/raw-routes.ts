/**
 * The routes of raw-server.ts, written the way node:http leaves them to you: a switch on method and path, the body
 * read by hand under a limit counted in bytes (413), JSON parsed and refused in words (400, 415), and every error
 * answered with its status code as one JSON line. A framework turns all of it into declarations (routes.ts).
 */
import http from 'node:http';

class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

function send(response: http.ServerResponse, status: number, body: unknown): void {
  const json = typeof body !== 'string';
  const text = json ? `${JSON.stringify(body)}\n` : body;
  response.writeHead(status, {
    'content-type': json ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

// The body arrives in chunks; it is counted in bytes (not characters) as it comes, and nothing
// past the limit is kept. A Content-Length over the limit is refused before a byte is read. After
// a 413, Node discards the rest of the body and then closes the connection: closing at once,
// with unread data, would reset it and the client could miss the 413.
function readBody(request: http.IncomingMessage, bodyLimit: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > bodyLimit) {
    return Promise.reject(new HttpError(413, `body of ${declared} bytes is over the limit of ${bodyLimit}`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received <= bodyLimit) return void chunks.push(chunk);
      request.off('data', onData);
      reject(new HttpError(413, `body over the limit of ${bodyLimit} bytes`));
    };
    request.on('data', onData);
    request.once('end', () => resolve(Buffer.concat(chunks)));
    request.once('error', reject);
  });
}

// Only the path is needed to route, so it is cut at "?" instead of parsed with new URL(), which
// costs more than the rest of a hello-world answer. An absolute URL or "/a/../" is not a route here.
function pathOf(url = '/'): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/**
 * Answers one request. A route without a body answers in this call; one that reads a body answers
 * when it has arrived. A thrown HttpError becomes its status, anything else a logged 500.
 */
export function answer(request: http.IncomingMessage, response: http.ServerResponse, bodyLimit: number): void {
  const path = pathOf(request.url);
  const method = request.method;
  if (path === '/' && method === 'GET') return void send(response, 200, 'Hello, world!');
  if (path === '/chunked' && method === 'GET') {
    // No Content-Length: the length is not known up front, so the body travels in chunks. Each
    // write waits for the previous one to be flushed; Node may merge writes made back to back.
    response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    response.write('one\n', () => response.write('two\n', () => response.end('three\n')));
    return;
  }
  if (path === '/inspect' && (method === 'GET' || method === 'POST')) {
    const { url, httpVersion, headers } = request;
    const inspect = (body: Buffer) => ({ method, url, httpVersion, headers, body: body.toString('utf8') });
    return void withBody(request, response, bodyLimit, inspect);
  }
  if (path === '/echo' && method === 'POST') {
    if (!/^application\/json\b/.test(request.headers['content-type'] ?? '')) {
      return void fail(request, response, new HttpError(415, 'send Content-Type: application/json'));
    }
    return void withBody(request, response, bodyLimit, (body) => ({ youSent: parseJson(body) }));
  }
  const error = ['/', '/chunked', '/inspect', '/echo'].includes(path)
    ? new HttpError(405, `${method} is not allowed here`)
    : new HttpError(404, `no route for ${method} ${path}`);
  fail(request, response, error);
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new HttpError(400, 'the body is not valid JSON');
  }
}

/** Reads the body under the limit, then answers 200 with what `reply` makes of it, or the error. */
function withBody(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  bodyLimit: number,
  reply: (body: Buffer) => unknown,
): void {
  readBody(request, bodyLimit)
    .then((body) => send(response, 200, reply(body)))
    .catch((error: Error) => fail(request, response, error));
}

function fail(request: http.IncomingMessage, response: http.ServerResponse, error: Error): void {
  const status = error instanceof HttpError ? error.status : 500;
  if (status === 500) console.error(`error ${request.method} ${request.url}: ${error.message}`);
  if (response.headersSent) return void response.destroy();
  // After a refused body the rest of it is not read: close the connection when done.
  if (status === 413) response.setHeader('connection', 'close');
  send(response, status, { statusCode: status, error: http.STATUS_CODES[status], message: error.message });
}
