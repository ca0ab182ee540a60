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

async function route(request: http.IncomingMessage, response: http.ServerResponse, bodyLimit: number) {
  const { pathname } = new URL(request.url ?? '/', 'http://localhost');
  const method = request.method ?? 'GET';
  if (pathname === '/' && method === 'GET') return send(response, 200, 'Hello, world!');
  if (pathname === '/chunked' && method === 'GET') {
    // No Content-Length: the length is not known up front, so the body travels in chunks. Each
    // write waits for the previous one to be flushed; Node may merge writes made back to back.
    response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    response.write('one\n', () => response.write('two\n', () => response.end('three\n')));
    return;
  }
  if (pathname === '/inspect' && (method === 'GET' || method === 'POST')) {
    const body = await readBody(request, bodyLimit);
    return send(response, 200, {
      method,
      url: request.url,
      httpVersion: request.httpVersion,
      headers: request.headers,
      body: body.toString('utf8'),
    });
  }
  if (pathname === '/echo' && method === 'POST') {
    if (!/^application\/json\b/.test(request.headers['content-type'] ?? '')) {
      throw new HttpError(415, 'send Content-Type: application/json');
    }
    const body = await readBody(request, bodyLimit);
    try {
      return send(response, 200, { youSent: JSON.parse(body.toString('utf8')) });
    } catch {
      throw new HttpError(400, 'the body is not valid JSON');
    }
  }
  if (['/', '/chunked', '/inspect', '/echo'].includes(pathname))
    throw new HttpError(405, `${method} is not allowed here`);
  throw new HttpError(404, `no route for ${method} ${pathname}`);
}

/** Answers one request; a thrown HttpError becomes its status, anything else a logged 500. */
export function answer(request: http.IncomingMessage, response: http.ServerResponse, bodyLimit: number): void {
  route(request, response, bodyLimit).catch((error: Error) => {
    const status = error instanceof HttpError ? error.status : 500;
    if (status === 500) console.error(`error ${request.method} ${request.url}: ${error.message}`);
    if (response.headersSent) return void response.destroy();
    // After a refused body the rest of it is not read: close the connection when done.
    if (status === 413) response.setHeader('connection', 'close');
    send(response, status, { statusCode: status, error: http.STATUS_CODES[status], message: error.message });
  });
}
