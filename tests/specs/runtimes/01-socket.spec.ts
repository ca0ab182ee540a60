/** What 01-socket's programs do differently on Bun or Deno (shared/src/runtime-differences.ts), pinned on each. */
import { once } from 'node:events';
import net from 'node:net';
import { setTimeout } from 'node:timers/promises';
import { runProgram, startServer } from '@netprog/shared/program';
import { programFile } from '@netprog/shared/programs';
import { expect, it } from 'vitest';
import { useCerts, writeExpiredCertificate } from '../../support/certs.ts';
import { expectCleanStop } from '../../support/checks.ts';
import { differsHere, pinned } from '../../support/runtimes.ts';

const { dir: cwd } = useCerts('01-socket');

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
  const server = await startServer(programFile('01-socket', 'tls-echo-server'), {
    cwd,
    args: ['--cert', 'expired.crt', '--key', 'expired.key'],
  });
  const result = await runProgram(programFile('01-socket', 'tls-echo-client'), {
    cwd,
    args: ['--port', String(server.port), 'x'],
  });
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
