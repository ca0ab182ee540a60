/** app over HTTPS: the checks every HTTP server passes, through verified TLS, and http-client's view of it. */
import { httpGet } from '@netprog/shared/http';
import { runProgram, startServer } from '@netprog/shared/program';
import { programFile } from '@netprog/shared/programs';
import { exchange } from '@netprog/shared/tcp';
import { expect, it } from 'vitest';
import { useCerts } from '../../support/certs.ts';
import { expectCleanStop } from '../../support/checks.ts';
import { checkHttpServer } from '../../support/http-server-checks.ts';
import { startOldTlsServer } from '../../support/old-tls.ts';

checkHttpServer('app over HTTPS');

const certs = useCerts('04-framework');
const app = programFile('04-framework', 'app');
const httpClient = programFile('04-framework', 'http-client');
const tlsArgs = () => ['--key', certs.file('server.key'), '--cert', certs.file('server.crt')];

it('http-client verifies app by --ca and prints HTTP/1.1; without the CA it refuses, in one line', async () => {
  const server = await startServer(app, { args: tlsArgs() });
  const url = `https://localhost:${server.port}/`;
  const verified = await runProgram(httpClient, { args: ['--ca', certs.file('ca.crt'), url] });
  expect(verified).toMatchObject({ exitCode: 0, stderr: '' });
  expect(verified.stdout).toMatch(/^HTTP\/1\.1 200 OK\n[\s\S]*\n\nHello, world!\n$/);
  const unverified = await runProgram(httpClient, { args: [url] });
  expect(unverified).toMatchObject({ exitCode: 1, stdout: '' });
  expect(unverified.stderr).toMatch(
    /^error: localhost:\d+: refused: certificate not signed by a trusted CA \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\); give its CA with --ca\n$/,
  );
  await expectCleanStop(server);
});

it('a plain-HTTP request to the HTTPS port gets no answer, and app serves on', async () => {
  const server = await startServer(app, { args: tlsArgs() });
  const reply = await exchange(server.port, 'GET / HTTP/1.1\r\nHost: test\r\n\r\n').catch(() => Buffer.alloc(0));
  expect(reply.toString('latin1')).not.toMatch(/Hello, world!/);
  const again = await runProgram(httpClient, {
    args: ['--ca', certs.file('ca.crt'), `https://localhost:${server.port}/`],
  });
  expect(again.exitCode).toBe(0);
  await expectCleanStop(server);
});

it('refuses half a key pair, HTTP/2 without TLS and an unreadable key, each in one line, exit 1', async () => {
  const cases = [
    { args: ['--key', certs.file('server.key')], error: 'error: --key and --cert go together\n' },
    { args: ['--http2'], error: 'error: --http2 needs --key and --cert: browsers speak HTTP/2 only over TLS\n' },
    {
      args: ['--key', 'missing.key', '--cert', certs.file('server.crt')],
      error: 'error: cannot read missing.key: ENOENT; make it with make-certs.ts\n',
    },
  ];
  for (const { args, error } of cases) {
    expect(await runProgram(app, { args: [...args, '--port', '0'] })).toMatchObject({ exitCode: 1, stderr: error });
  }
});

it('answers over HTTPS, a 404 too, carry HSTS, nosniff, a CSP and no-store; answers over plain HTTP none', async () => {
  const secure = await startServer(app, { args: tlsArgs() });
  const plain = await startServer(app);
  const expected = {
    'strict-transport-security': 'max-age=300',
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'cache-control': 'no-store',
  };
  for (const path of ['/', '/no-such-page']) {
    const reply = await httpGet(secure.port, path, { tls: certs.tlsProbe() });
    expect(reply.status).toBe(path === '/' ? 200 : 404);
    expect(reply.headers).toMatchObject(expected);
    const plainReply = await httpGet(plain.port, path);
    for (const name of Object.keys(expected)) expect(plainReply.headers[name], name).toBeUndefined();
  }
  await expectCleanStop(secure);
  await expectCleanStop(plain);
});

it('http-client refuses a server that offers only TLS 1.1, in one line', async () => {
  const old = await startOldTlsServer(certs);
  const result = await runProgram(httpClient, {
    args: ['--ca', certs.file('ca.crt'), `https://localhost:${old.port}/`],
  });
  old.close();
  expect(result).toMatchObject({
    exitCode: 1,
    stdout: '',
    stderr: `error: localhost:${old.port}: refused: no TLS version in common (this client speaks TLS 1.2 and 1.3)\n`,
  });
});
