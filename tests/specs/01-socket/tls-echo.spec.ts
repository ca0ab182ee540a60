/**
 * The echo over TLS: make-certs makes a CA and certificates; tls-echo-server echoes over TLS and keeps
 * serving whatever a client gets wrong; tls-echo-client verifies the server and says in one line why
 * it refused one. Interop with openssl s_client and Python's ssl module when they are present.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import 'reflect-metadata';
import { runProgram, type Server, startServer } from '@netprog/shared/program';
import { programFile } from '@netprog/shared/programs';
import * as x509 from '@peculiar/x509';
import { execa } from 'execa';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { useCerts, writeExpiredCertificate } from '../../support/certs.ts';
import { expectCleanStop } from '../../support/checks.ts';
import { startOldTlsServer } from '../../support/old-tls.ts';
import { hasOpenssl, hasPython } from '../../support/tools.ts';

const makeCerts = programFile('01-socket', 'make-certs');
const tlsServer = programFile('01-socket', 'tls-echo-server');
const tlsClient = programFile('01-socket', 'tls-echo-client');
// The programs run where make-certs wrote certs/, so their default paths find the files.
const certs = useCerts('01-socket');
const { dir: cwd } = certs;
const client = (args: string[], options: { input?: string } = {}) => runProgram(tlsClient, { cwd, args, ...options });
// Every spawned program is stopped after each test, so each test starts its own server.
let server: Server;
beforeEach(async () => {
  server = await startServer(tlsServer, { cwd });
});
afterEach(async () => {
  await expectCleanStop(server);
});

it('make-certs keeps valid certificates, and the server certificate names localhost, 127.0.0.1 and ::1', async () => {
  const again = await runProgram(makeCerts, { cwd });
  expect(again.stdout).toMatch(
    /^certs\/ holds valid certificates \(until \d{4}-\d\d-\d\d\); --force makes new ones\n$/,
  );
  const certificate = new x509.X509Certificate(readFileSync(path.join(cwd, 'certs/server.crt'), 'utf8'));
  const names = certificate.getExtension(x509.SubjectAlternativeNameExtension)?.names.toJSON();
  expect(names).toEqual([
    { type: 'dns', value: 'localhost' },
    { type: 'ip', value: '127.0.0.1' },
    { type: 'ip', value: '::1' },
  ]);
});

it('echoes over TLS 1.3 after verifying the server by its CA and name', async () => {
  const result = await client(['--port', String(server.port), 'hello over TLS']);
  expect(result).toMatchObject({ exitCode: 0, stdout: 'hello over TLS\n' });
  expect(result.stderr).toMatch(/^tls: TLSv1\.3, TLS_\w+, 127\.0\.0\.1 verified by certs\/ca\.crt\n$/);
  const byName = await client(['--port', String(server.port), '--servername', 'localhost'], { input: 'by name\n' });
  expect(byName).toMatchObject({ exitCode: 0, stdout: 'by name\n' });
});

it('refuses, in one line each, a server with the wrong name, an unknown CA, or no TLS at all', async () => {
  const wrongName = await client(['--port', String(server.port), '--servername', 'example.com', 'x']);
  expect(wrongName).toMatchObject({ exitCode: 1, stdout: '' });
  expect(wrongName.stderr).toBe(
    `error: 127.0.0.1:${server.port}: refused the server: its certificate is not valid for example.com (ERR_TLS_CERT_ALTNAME_INVALID)\n`,
  );

  // The server sees that client hang up mid-handshake at once, not after its handshake timeout.
  await server.waitFor(
    'the hang-up logged',
    () => (/^refused a client already gone: closed during the handshake$/m.test(server.stderr) ? true : undefined),
    5000,
  );

  const other = mkdtempSync(path.join(tmpdir(), 'tls-other-'));
  await runProgram(makeCerts, { cwd: other });
  const unknownCa = await client(['--port', String(server.port), '--ca', path.join(other, 'certs/ca.crt'), 'x']);
  rmSync(other, { recursive: true, force: true });
  expect(unknownCa).toMatchObject({ exitCode: 1, stdout: '' });
  expect(unknownCa.stderr).toMatch(
    /refused the server: its certificate is not signed by the CA in .*ca\.crt \(\w+\)\n$/,
  );

  const plain = net.createServer((socket) => socket.end('hello, plain TCP\n'));
  await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
  const noTls = await client(['--port', String((plain.address() as net.AddressInfo).port), 'x']);
  plain.close();
  expect(noTls).toMatchObject({ exitCode: 1, stdout: '' });
  expect(noTls.stderr).toMatch(
    /^error: 127\.0\.0\.1:\d+: refused the server: it does not speak TLS on this port \(ERR_SSL_WRONG_VERSION_NUMBER\)\n$/,
  );
});

it('refuses a server that offers only TLS 1.1, in one line', async () => {
  const old = await startOldTlsServer(certs);
  const result = await client(['--port', String(old.port), 'x']);
  old.close();
  expect(result).toMatchObject({ exitCode: 1, stdout: '' });
  expect(result.stderr).toBe(
    `error: 127.0.0.1:${old.port}: refused the server: no TLS version in common (this client speaks TLS 1.2 and 1.3) (ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION)\n`,
  );
});

it('refuses an expired server certificate', async () => {
  await writeExpiredCertificate(cwd, 'expired');
  const stale = await startServer(tlsServer, { cwd, args: ['--cert', 'expired.crt', '--key', 'expired.key'] });
  const result = await client(['--port', String(stale.port), 'x']);
  expect(result).toMatchObject({ exitCode: 1, stdout: '' });
  expect(result.stderr).toBe(
    `error: 127.0.0.1:${stale.port}: refused the server: its certificate has expired (CERT_HAS_EXPIRED)\n`,
  );
  await expectCleanStop(stale);
});

it('logs one line for a plain-TCP client and one for TLS below 1.2, and keeps serving', async () => {
  const plain = await net.connect(server.port, '127.0.0.1');
  plain.on('error', () => {});
  plain.end('GET / HTTP/1.0\r\n\r\n');
  const old = tls.connect({
    port: server.port,
    host: '127.0.0.1',
    ca: readFileSync(path.join(cwd, 'certs/ca.crt')),
    servername: 'localhost',
    minVersion: 'TLSv1',
    maxVersion: 'TLSv1.1',
    ciphers: 'DEFAULT:@SECLEVEL=0',
  });
  const refused = await new Promise<NodeJS.ErrnoException>((resolve) => old.on('error', resolve));
  expect(refused.code).toMatch(/ERR_SSL_(TLSV1_ALERT_PROTOCOL_VERSION|UNSUPPORTED_PROTOCOL|NO_PROTOCOLS_AVAILABLE)/);
  await server.waitFor('two refusals', () =>
    (server.stderr.match(/^refused 127\.0\.0\.1:\d+: \S+$/gm)?.length ?? 0) >= 2 ? true : undefined,
  );
  expect(server.stderr).toMatch(/^refused 127\.0\.0\.1:\d+: ERR_SSL_HTTP_REQUEST$/m);
  expect(server.stderr).not.toMatch(/^\s+at /m);
  expect((await client(['--port', String(server.port), 'still serving'])).stdout).toBe('still serving\n');
});

it('requires a client certificate signed by the CA with --require-client-cert (mutual TLS)', async () => {
  const mutual = await startServer(tlsServer, { cwd, args: ['--require-client-cert'] });
  const port = ['--port', String(mutual.port)];
  const without = await client([...port, 'x']);
  expect(without.exitCode).toBe(1);
  // With TLS 1.3 the client has finished its side of the handshake before the server refuses.
  expect(without.stderr).toMatch(
    /\nerror: 127\.0\.0\.1:\d+: refused the server: it requires a client certificate \(--cert and --key\) \(ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED\)\n$/,
  );
  await mutual.waitFor('the refusal logged', () =>
    /^refused 127\.0\.0\.1:\d+: ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE$/m.test(mutual.stderr) ? true : undefined,
  );
  const withCert = await client([...port, '--cert', 'certs/client.crt', '--key', 'certs/client.key', 'mutual']);
  expect(withCert).toMatchObject({ exitCode: 0, stdout: 'mutual\n' });
  await mutual.waitForLine(/^connected 127\.0\.0\.1:\d+ \(TLSv1\.3, \w+, client netprog client\)$/);
  await expectCleanStop(mutual);
});

it.runIf(hasPython)(
  "answers Python's ssl module with create_default_context(cafile=…) (skipped without python3)",
  async () => {
    const script = `
import socket, ssl
context = ssl.create_default_context(cafile='certs/ca.crt')
with socket.create_connection(('127.0.0.1', ${server.port})) as raw:
    with context.wrap_socket(raw, server_hostname='localhost') as s:
        s.sendall(b'from python\\n')
        print(s.recv(100).decode().strip(), s.version())`;
    const result = await execa('python3', ['-c', script], { cwd, timeout: 10_000 });
    expect(result.stdout).toBe('from python TLSv1.3');
  },
);

it.runIf(hasOpenssl)(
  'answers openssl s_client -CAfile with a verified TLS 1.3 session (skipped without openssl)',
  async () => {
    const result = await execa(
      'openssl',
      ['s_client', '-CAfile', 'certs/ca.crt', '-verify_return_error', '-connect', `127.0.0.1:${server.port}`],
      { cwd, input: 'from openssl\n', timeout: 10_000, reject: false },
    );
    expect(result.stdout).toMatch(/Verify return code: 0 \(ok\)/);
    expect(result.stdout).toMatch(/New, TLSv1\.3, Cipher is TLS_/);
  },
);
