/**
 * An HTTP server with node:http and no framework: what a framework does for you, done by hand. GET / says hello;
 * /inspect answers with the request as the server saw it (method, url, headers, body); POST /echo parses a JSON body.
 * It mirrors the request and response anatomy of tutorial 002 §3.2 (§3.2.1, §3.2.2), and sets what the tutorials leave
 * out: a body limit counted in bytes (413), header and request timeouts, and errors as one-line logs and proper status
 * codes.
 *
 * Run:    node examples/04-framework/src/raw-server.ts
 * Try:    curl -i http://127.0.0.1:8082/   and   curl -s -d 'hi' http://127.0.0.1:8082/inspect
 * Expect: "listening on http://127.0.0.1:8082"; curl gets "Hello, world!", then the request echoed as JSON with
 *         its body; /chunked answers "Transfer-Encoding: chunked"
 * Stop:   Ctrl+C prints "SIGINT: stopping, <n> request(s) in flight", lets them finish, then "stopped"
 */
import http from 'node:http';
import type { Socket } from 'node:net';
import * as cli from './cli.ts';

const flags = cli.parseFlags(
  {
    name: 'raw-server',
    about: `An HTTP server with node:http alone:
  GET /               Hello, world!
  GET /chunked        a body sent in chunks (Transfer-Encoding: chunked)
  GET|POST /inspect   the request as JSON: method, url, headers, body
  POST /echo          a JSON body, parsed and sent back`,
  },
  {
    ...cli.listenOn(8082),
    bodyLimit: cli.integer(1024 * 1024, 'larger request bodies get 413', { value: 'BYTES' }),
    headersTimeout: cli.duration(10_000, 'close a connection whose headers take longer', 100),
    requestTimeout: cli.duration(30_000, 'close a connection whose whole request takes longer', 100),
    shutdownTimeout: cli.duration(10_000, 'on SIGINT/SIGTERM, wait at most MS for requests in flight', 0),
  },
);
const { host, port, bodyLimit, headersTimeout: headersTimeoutMs, shutdownTimeout: shutdownTimeoutMs } = flags;
const requestTimeoutMs = Math.max(flags.requestTimeout, headersTimeoutMs);

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
function readBody(request: http.IncomingMessage): Promise<Buffer> {
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

// Routing by hand: a framework turns this switch into declarations (see app.ts).
async function route(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
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
    const body = await readBody(request);
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
    const body = await readBody(request);
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

const inFlight = new Set<http.ServerResponse>();
let stopping = false;
// connectionsCheckingInterval: how often Node looks for connections past headersTimeout or
// requestTimeout. Its default (30 s) would let a slow client linger far past the timeouts.
const server = http.createServer(
  { headersTimeout: headersTimeoutMs, requestTimeout: requestTimeoutMs, connectionsCheckingInterval: 250 },
  (request, response) => {
    inFlight.add(response);
    response.on('close', () => inFlight.delete(response));
    // While draining, each response tells its keep-alive client to close the connection.
    if (stopping) response.setHeader('connection', 'close');
    route(request, response).catch((error: Error) => {
      const status = error instanceof HttpError ? error.status : 500;
      if (status === 500) console.error(`error ${request.method} ${request.url}: ${error.message}`);
      if (response.headersSent) return void response.destroy();
      // After a refused body the rest of it is not read: close the connection when done.
      if (status === 413) response.setHeader('connection', 'close');
      send(response, status, {
        statusCode: status,
        error: http.STATUS_CODES[status],
        message: error.message,
      });
    });
  },
);
server.keepAliveTimeout = 5000;

// Requests Node's parser rejects (a malformed request line, headers over 16 KiB, a timeout)
// never reach the handler. Answer them in one line of HTTP and close the connection.
server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  if (error.code !== 'ECONNRESET') console.error(`rejected a request: ${error.code ?? error.message}`);
  if (socket.writable && !socket.writableEnded) {
    socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
  }
  socket.destroy();
});

// Shutdown: stop accepting, close idle keep-alive connections now, let requests in flight
// finish (their responses carry "connection: close"), then exit. Past the deadline, cut them.
function shutdown(signal: NodeJS.Signals): void {
  if (cli.alreadyStopping(signal)) return;
  stopping = true;
  console.log(`${signal}: stopping, ${inFlight.size} request(s) in flight`);
  for (const response of inFlight) if (!response.headersSent) response.setHeader('connection', 'close');
  server.close(() => console.log('stopped'));
  server.closeIdleConnections();
  setTimeout(() => {
    console.error(`error: requests still running after ${shutdownTimeoutMs} ms; closing them`);
    server.closeAllConnections();
  }, shutdownTimeoutMs).unref();
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

// Start-up failures (port in use, permission denied) are expected: one line, exit 1.
server.on('error', (error) => cli.cannotListen(error, host, port));
server.listen({ host, port }, () => cli.printListening('http', server.address()));
