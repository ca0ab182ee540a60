/**
 * What both HTTP servers (node:http and Fastify) must do with bad and awkward clients: the same
 * checks, over raw TCP, against each, and against app over HTTPS and over HTTP/2's HTTP/1.1
 * fallback (the same probes through verified TLS). Each spec file calls checkHttpServer for its
 * variants, so they run in parallel.
 */
import { httpGet } from '@netprog/shared/http';
import { type Server, startServer } from '@netprog/shared/program';
import { programFile } from '@netprog/shared/programs';
import { connect, exchange, type ProbeOptions, readToEnd, reset } from '@netprog/shared/tcp';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Certs, useCerts } from './certs.ts';
import { expectCleanStop } from './checks.ts';
import { hasCurl, hasPython } from './tools.ts';

// /inspect echoes the URL, so pipelined answers show their order.
const rawServer = {
  program: 'raw-server',
  pipelined: (i: number) => `/inspect?n=${i}`,
  answerOf: (body: string) => JSON.parse(body).url,
};
// /sleep answers later requests sooner, yet HTTP/1.1 must keep the order.
const app = {
  program: 'app',
  pipelined: (i: number) => `/sleep?ms=${(10 - i) * 20}`,
  answerOf: (body: string) => `/sleep?ms=${JSON.parse(body).slept}`,
};
const tlsArgs = (certs: Certs) => ['--key', certs.file('server.key'), '--cert', certs.file('server.crt')];
const variants = {
  'raw-server': { ...rawServer, tls: false, args: () => [], curl: /^HTTP\/1\.1 200 OK\r\n/ },
  app: { ...app, tls: false, args: () => [], curl: /^HTTP\/1\.1 200 OK\r\n/ },
  'app over HTTPS': { ...app, tls: true, args: tlsArgs, curl: /^HTTP\/1\.1 200 OK\r\n/ },
  // Clients that do not offer h2 in the handshake (these probes, Python) get HTTP/1.1; curl --http2
  // offers it, and gets it here (and HTTP/1.1 from the HTTPS-only variant).
  'app over HTTP/2, to HTTP/1.1 clients': {
    ...app,
    tls: true,
    args: (certs: Certs) => [...tlsArgs(certs), '--http2'],
    curl: /^HTTP\/2 200 \r\n/,
  },
};

const post = (path: string, headers: string, body: string) =>
  `POST ${path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n${headers}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
export const statusOf = (reply: Buffer) => /^HTTP\/1\.1 (\d{3})/.exec(reply.toString('latin1'))?.[1];

export function checkHttpServer(name: keyof typeof variants): void {
  const { program, tls, args, curl, pipelined, answerOf } = variants[name];
  const certs = tls ? useCerts('04-framework') : undefined;
  describe(name, () => {
    let server: Server;
    let probe: ProbeOptions;
    beforeEach(async () => {
      probe = certs ? { tls: certs.tlsProbe() } : {};
      server = await startServer(programFile('04-framework', program), {
        args: ['--body-limit', '1000', '--headers-timeout', '1000', ...(certs ? args(certs) : [])],
      });
      expect(server.stdout).toMatch(tls ? /^listening on https:/ : /^listening on http:/);
    });
    afterEach(async () => {
      await expectCleanStop(server);
    });

    it('answers GET / with Hello, world!', async () => {
      expect(await httpGet(server.port, '/', probe)).toMatchObject({ status: 200, body: 'Hello, world!' });
    });

    it('a malformed request line gets 400', async () => {
      expect(statusOf(await exchange(server.port, 'HELLO THERE\r\n\r\n', probe))).toBe('400');
    });

    it('headers over 16 KiB get 431', async () => {
      const request = `GET / HTTP/1.1\r\nHost: test\r\nX-Big: ${'a'.repeat(17 * 1024)}\r\n\r\n`;
      expect(statusOf(await exchange(server.port, request, probe))).toBe('431');
    });

    it('a body over the limit gets 413, and the server serves on', async () => {
      const reply = await exchange(
        server.port,
        post('/echo', 'Content-Type: application/json\r\n', `"${'x'.repeat(2000)}"`),
        probe,
      );
      expect(statusOf(reply)).toBe('413');
      expect((await httpGet(server.port, '/', probe)).status).toBe(200);
    });

    it('bad JSON gets 400 with a JSON error and no stack trace', async () => {
      const reply = (
        await exchange(server.port, post('/echo', 'Content-Type: application/json\r\n', '{"message": '), probe)
      ).toString();
      expect(statusOf(Buffer.from(reply))).toBe('400');
      expect(reply).toMatch(/"statusCode":400/);
      expect(reply).not.toMatch(/at .*\.(ts|js):\d+/);
    });

    it('headers trickled a byte a second are cut off after the headers timeout (1 s)', async () => {
      const socket = await connect(server.port, probe);
      let closed = false;
      const reply = readToEnd(socket, { timeoutMs: 10_000 })
        .catch(() => Buffer.alloc(0))
        .finally(() => {
          closed = true;
        });
      const started = performance.now();
      // The client's pace, not a wait for the server: one byte, then a second's pause, until cut off.
      for (const byte of `GET / HTTP/1.1\r\nHost: test\r\nX-Slow: ${'a'.repeat(20)}`) {
        if (closed) break;
        socket.write(byte);
        await Promise.race([new Promise((resolve) => setTimeout(resolve, 1000)), reply]);
      }
      const received = await reply;
      const elapsed = performance.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(900);
      expect(elapsed).toBeLessThan(3000);
      expect(['408', undefined]).toContain(statusOf(received));
      socket.destroy();
    });

    it('answers 10 pipelined requests, sent in one write, in order', async () => {
      const requests = Array.from(
        { length: 10 },
        (_, i) =>
          `GET ${pipelined(i)} HTTP/1.1\r\nHost: test\r\nConnection: ${i === 9 ? 'close' : 'keep-alive'}\r\n\r\n`,
      );
      // No half-close after writing: Node's HTTP server drops requests still in flight when the
      // client ends its side. The last request says "Connection: close"; its answer ends the stream.
      const socket = await connect(server.port, probe);
      const received = readToEnd(socket);
      socket.write(requests.join(''));
      const reply = (await received).toString();
      socket.destroy();
      const bodies = reply
        .split(/HTTP\/1\.1 200 OK\r\n/)
        .slice(1)
        .map((response) => response.split('\r\n\r\n')[1] ?? '');
      expect(bodies.map(answerOf)).toEqual(Array.from({ length: 10 }, (_, i) => pipelined(i)));
    });

    it('a client that goes away mid-request or mid-response breaks nothing', async () => {
      for (let client = 0; client < 20; client++) {
        const socket = await connect(server.port, probe);
        socket.on('error', () => {});
        socket.write(
          client % 2 === 0 ? 'GET /sleep?ms=200 HTTP/1.1\r\nHost: test\r\n\r\n' : 'GET / HTTP/1.1\r\nHost: te',
        );
        reset(socket);
      }
      expect((await httpGet(server.port, '/', probe)).status).toBe(200);
    });

    it.runIf(hasPython)("answers the tutorials' http.client GET (skipped without python3)", async () => {
      // Over TLS, the client Python's ssl module recommends: verified by the CA and the name.
      const connection = certs
        ? `http.client.HTTPSConnection('localhost', ${server.port}, context=ssl.create_default_context(cafile='${certs.file('ca.crt')}'))`
        : `http.client.HTTPConnection('127.0.0.1', ${server.port})`;
      const tutorialClient = `
import http.client, ssl
conn = ${connection}
conn.request('GET', '/')
response = conn.getresponse()
print(response.status, response.read().decode())
conn.close()`;
      const result = await execa('python3', ['-c', tutorialClient], { timeout: 10_000 });
      expect(result.stdout).toBe('200 Hello, world!');
    });

    it.runIf(hasCurl)('answers curl (skipped without curl)', async () => {
      const target = certs
        ? ['--cacert', certs.file('ca.crt'), '--http2', `https://localhost:${server.port}/`]
        : [`http://127.0.0.1:${server.port}/`];
      const result = await execa('curl', ['-s', '-i', ...target], { timeout: 10_000 });
      expect(result.stdout).toMatch(curl);
      expect(result.stdout).toMatch(/\r\n\r\nHello, world!$/);
    });
  });
}
