/**
 * app over HTTP/2: HTTP/1.1 clients get the checks every HTTP server passes; HTTP/2 clients get many
 * requests on one connection, the same limits and errors (and no warning on the server's stderr),
 * and a drain that sends GOAWAY and finishes every stream in flight.
 */
import http2 from 'node:http2';
import { runProgram, type Server, startServer } from '@netprog/shared/program';
import { programFile } from '@netprog/shared/programs';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { useCerts } from '../../support/certs.ts';
import { expectCleanStop } from '../../support/checks.ts';
import { checkHttpServer } from '../../support/http-server-checks.ts';

checkHttpServer('app over HTTP/2, to HTTP/1.1 clients');

const certs = useCerts('04-framework');
let server: Server;
let session: http2.ClientHttp2Session;
beforeEach(async () => {
  server = await startServer(programFile('04-framework', 'app'), {
    args: ['--key', certs.file('server.key'), '--cert', certs.file('server.crt'), '--http2', '--body-limit', '1000'],
  });
  session = http2.connect(`https://localhost:${server.port}`, { ...certs.tlsProbe() });
  session.on('error', () => {}); // a refused stream or GOAWAY shows in the requests themselves
});
afterEach(async () => {
  session.destroy();
  await expectCleanStop(server);
});

/** One request on the shared session: its status and body, or its error. */
function request(path: string, { method = 'GET', body = '', type = 'application/json' } = {}) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    // A GET stream is ended by request() itself: no body follows its headers.
    const headers = method === 'GET' ? {} : { 'content-type': type };
    const stream = session.request({ ':path': path, ':method': method, ...headers });
    let status = 0;
    let received = '';
    stream.setEncoding('utf8');
    stream.on('response', (headers) => {
      status = Number(headers[':status']);
    });
    stream.on('data', (text: string) => {
      received += text;
    });
    stream.on('end', () => resolve({ status, body: received }));
    stream.on('error', reject);
    if (method !== 'GET') stream.end(body);
  });
}

it('negotiates h2 and answers 20 concurrent requests over one connection', async () => {
  const replies = await Promise.all(Array.from({ length: 20 }, () => request('/sleep?ms=100')));
  expect(session.alpnProtocol).toBe('h2');
  expect(replies).toEqual(Array(20).fill({ status: 200, body: '{"slept":100}' }));
  expect(await request('/')).toEqual({ status: 200, body: 'Hello, world!' });
});

it('the same limits and errors: 413, 400, 415, 404 and 500 without a stack trace or a server warning', async () => {
  expect((await request('/echo', { method: 'POST', body: `"${'x'.repeat(2000)}"` })).status).toBe(413);
  expect((await request('/echo', { method: 'POST', body: '{"message": ' })).status).toBe(400);
  expect((await request('/echo', { method: 'POST', body: 'hi', type: 'text/plain' })).status).toBe(415);
  expect((await request('/missing')).status).toBe(404);
  const boom = await request('/boom');
  expect(boom).toEqual({
    status: 500,
    body: '{"statusCode":500,"error":"Internal Server Error","message":"something went wrong on our side"}',
  });
  // The answer can overtake the server's log line; wait for the line, then check it is all there is.
  await server.waitFor('the log line of /boom', () => (server.stderr.endsWith('\n') ? true : undefined));
  expect(server.stderr).toBe('error GET /boom: a bug in a handler\n');
});

it("refuses a header list over 64 KiB (Node's HTTP/2 default) and serves the next connection", async () => {
  await expect(request(`/?${'a'.repeat(70_000)}`)).rejects.toMatchObject({ code: 'ERR_HTTP2_STREAM_ERROR' });
  session.destroy();
  session = http2.connect(`https://localhost:${server.port}`, { ...certs.tlsProbe() });
  expect(await request('/')).toEqual({ status: 200, body: 'Hello, world!' });
});

it('drains on SIGTERM: GOAWAY, no new streams, all 10 streams in flight get 200, exit 0', async () => {
  const goaway = new Promise<number>((resolve) => session.once('goaway', resolve));
  const inFlight = Array.from({ length: 10 }, () => request('/sleep?ms=1000'));
  await server.waitFor('10 sleeping requests', () =>
    (server.stdout.match(/^sleeping 1000 ms/gm)?.length ?? 0) === 10 ? true : undefined,
  );
  const stopping = server.stop({ deadlineMs: 10_000 });
  expect(await goaway).toBe(http2.constants.NGHTTP2_NO_ERROR);
  // After GOAWAY a new stream is refused: Node 20 and 22 throw at once, later versions cancel it.
  const refused = await new Promise((resolve) => {
    try {
      const stream = session.request({ ':path': '/' });
      stream.on('error', (error: NodeJS.ErrnoException) => resolve(error.code));
      stream.on('response', () => resolve('answered'));
    } catch (error) {
      resolve((error as NodeJS.ErrnoException).code);
    }
  });
  expect(refused).toMatch(/^ERR_HTTP2_(GOAWAY_SESSION|STREAM_CANCEL)$/);
  expect(await Promise.all(inFlight)).toEqual(Array(10).fill({ status: 200, body: '{"slept":1000}' }));
  const result = await stopping;
  expect(result).toMatchObject({ exitCode: 0, killed: false });
  expect(result.stdout).toMatch(/^SIGTERM: no longer accepting; draining 10 request\(s\)\nstopped\n$/m);
  // Done when the streams were, not at the 10 s deadline, which would have cut them and said so on stderr.
  expect(result.stderr).toBe('');
});

it('http-client asks for HTTP/2 with --http2 and says which protocol it got', async () => {
  const url = `https://localhost:${server.port}/`;
  const ca = ['--ca', certs.file('ca.crt')];
  const h2 = await runProgram(programFile('04-framework', 'http-client'), { args: [...ca, '--http2', url] });
  expect(h2).toMatchObject({ exitCode: 0, stderr: '' });
  expect(h2.stdout).toMatch(/^HTTP\/2 200\n[\s\S]*\n\nHello, world!\n$/);
  const h1 = await runProgram(programFile('04-framework', 'http-client'), { args: [...ca, url] });
  expect(h1.stdout).toMatch(/^HTTP\/1\.1 200 OK\n/);
});
