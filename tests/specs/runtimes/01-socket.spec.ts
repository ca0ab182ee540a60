/** What 01-socket's programs do differently on Bun or Deno (shared/src/runtime-differences.ts), pinned on each. */
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { setTimeout } from 'node:timers/promises';
import tls from 'node:tls';
import { exampleRuntime, runProgram, type Server, startServer } from '@netprog/shared/program';
import { programFile } from '@netprog/shared/programs';
import { connect, readToEnd } from '@netprog/shared/tcp';
import { expect, it } from 'vitest';
import { useCerts, writeExpiredCertificate } from '../../support/certs.ts';
import { expectCleanStop } from '../../support/checks.ts';
import { differsHere, pinned } from '../../support/runtimes.ts';

const { dir: cwd, file } = useCerts('01-socket');
const tlsServer = programFile('01-socket', 'tls-echo-server');
const tlsClient = (args: string[]) => runProgram(programFile('01-socket', 'tls-echo-client'), { cwd, args });
const logged = (server: Server, what: RegExp) =>
  server.waitFor(`${what}`, () => what.exec(server.stdout + server.stderr) ?? undefined);

it(pinned('drain-liveness'), async () => {
  const server = await startServer(programFile('01-socket', 'echo-server'), { args: ['--shutdown-timeout', '10000'] });
  // A peer that keeps its side open after the server has ended its own.
  const peer = net.connect({ host: '127.0.0.1', port: server.port, allowHalfOpen: true });
  peer.on('error', () => {});
  peer.resume();
  await server.waitForLine(/^connected /);
  const ended = once(peer, 'end');
  server.signal('SIGTERM');
  await ended;
  if (differsHere('drain-liveness')) {
    expect(await server.exited).toMatchObject({ exitCode: 0, killed: false });
    expect(peer.destroyed).toBe(false);
  } else {
    // Deno exits within milliseconds of ending its side; Node must still be there two seconds on.
    const exitedEarly = await Promise.race([server.exited.then(() => true), setTimeout(2000, false)]);
    expect(exitedEarly).toBe(false);
    peer.end();
    expect(await server.exited).toMatchObject({ exitCode: 0, killed: false });
  }
  expect(server.stdout).toMatch(/\nstopped\n$/);
  peer.destroy();
});

it(pinned('expired-certificate'), async () => {
  await writeExpiredCertificate(cwd, 'expired');
  const server = await startServer(tlsServer, { cwd, args: ['--cert', 'expired.crt', '--key', 'expired.key'] });
  const result = await tlsClient(['--port', String(server.port), 'x']);
  expect(result).toMatchObject({ exitCode: 1, stdout: '' });
  expect(result.stderr).toBe(
    `error: 127.0.0.1:${server.port}: refused the server: ${
      differsHere('expired-certificate')
        ? 'its certificate is not signed by the CA in certs/ca.crt (UNABLE_TO_VERIFY_LEAF_SIGNATURE)'
        : 'its certificate has expired (CERT_HAS_EXPIRED)'
    }\n`,
  );
  await expectCleanStop(server);
});

it(pinned('tls-peer-address'), async () => {
  // A client that hangs up in the handshake: it does not accept the name on the certificate.
  const server = await startServer(tlsServer, { cwd });
  await tlsClient(['--port', String(server.port), '--servername', 'example.com', 'x']);
  // (On Deno the handshake completes before the client checks the name: tls-name-check.)
  if (differsHere('tls-name-check')) await logged(server, /^closed 127\.0\.0\.1:\d+$/m);
  else if (differsHere('tls-peer-address'))
    await logged(server, /^refused 127\.0\.0\.1:\d+: closed during the handshake$/m);
  else await logged(server, /^refused a client already gone: closed during the handshake$/m);
  await expectCleanStop(server);

  // A client refused in the handshake: it has no certificate to show.
  const mutual = await startServer(tlsServer, { cwd, args: ['--require-client-cert'] });
  await tlsClient(['--port', String(mutual.port), 'x']);
  const [, peer] = await logged(mutual, /^refused (.*): ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE$/m);
  expect(peer).toMatch(exampleRuntime === 'deno' ? /^a client already gone$/ : /^127\.0\.0\.1:\d+$/);
  await expectCleanStop(mutual);
});

it(pinned('client-certificate-alert'), async () => {
  const server = await startServer(tlsServer, { cwd, args: ['--require-client-cert'] });
  const result = await tlsClient(['--port', String(server.port), 'x']);
  expect(result.exitCode).toBe(1);
  const code = differsHere('client-certificate-alert')
    ? 'ERR_SSL_TLSV1_ALERT_CERTIFICATE_REQUIRED'
    : 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED';
  // With TLS 1.3 the client has finished its side of the handshake (its "tls:" line) before the server refuses.
  expect(result.stderr).toMatch(/^tls: TLSv1\.3, .*\n/);
  expect(result.stderr.split('\n').slice(1).join('\n')).toBe(
    `error: 127.0.0.1:${server.port}: refused the server: it requires a client certificate (--cert and --key) (${code})\n`,
  );
  await expectCleanStop(server);
});

it(pinned('old-tls-alert'), async () => {
  const server = await startServer(tlsServer, { cwd });
  const old = tls.connect({
    port: server.port,
    host: '127.0.0.1',
    ca: readFileSync(file('ca.crt')),
    servername: 'localhost',
    minVersion: 'TLSv1',
    maxVersion: 'TLSv1.1',
    ciphers: 'DEFAULT:@SECLEVEL=0',
  });
  const refused = await new Promise<NodeJS.ErrnoException>((resolve) => old.on('error', resolve));
  expect(refused.code).toBe(
    differsHere('old-tls-alert') ? 'ERR_SSL_SSL/TLS_ALERT_HANDSHAKE_FAILURE' : 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION',
  );
  await expectCleanStop(server);
});

it(pinned('max-connections'), async () => {
  const server = await startServer(programFile('01-socket', 'echo-server'), { args: ['--max-connections', '1'] });
  const first = await connect(server.port);
  first.on('error', () => {});
  await server.waitForLine(/\(1 open\)$/);
  const second = await connect(server.port);
  // Refused after the kernel's handshake: closed at once, with a FIN or, if the timing falls so, a reset.
  const outcome = await readToEnd(second, { timeoutMs: 3000 }).then(
    () => 'closed',
    (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? 'closed' : error.message),
  );
  expect(outcome).toBe('closed');
  if (!differsHere('max-connections')) await logged(server, /^refused .*: 1 connections open$/m);
  first.destroy();
  second.destroy();
  await expectCleanStop(server);
  // Once the server has exited, all it would ever log is in.
  expect(/^refused /m.test(server.stderr)).toBe(!differsHere('max-connections'));
});
