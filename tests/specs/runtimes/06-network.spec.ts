/**
 * What the programs do differently across the lab's hosts on Bun or Deno (shared/src/runtime-differences.ts), pinned
 * on each: the lab runs every program on the runtime under test, lab.ts included.
 */
import { exampleRuntime } from '@netprog/shared/program';
import { programFile } from '@netprog/shared/programs';
import { expect, it } from 'vitest';
import { describeLab, labFor } from '../../support/lab.ts';
import { differsHere, pinned } from '../../support/runtimes.ts';

const echoServer = programFile('01-socket', 'echo-server');
const echoClient = programFile('01-socket', 'echo-client');
const udpClient = programFile('05-udp', 'udp-client');
const refused = (address: string) => `error: ${address}: connection refused, is the server running? (ECONNREFUSED)\n`;

describeLab('across hosts, on each runtime', () => {
  it(pinned('connect-errors'), async () => {
    const lab = await labFor('two-hosts');
    const absent = await lab.run('b', echoClient, ['--host', '10.0.1.99', '--port', '8080', 'hi']);
    const noRoute = await lab.run('b', echoClient, ['--host', '10.0.2.20', '--port', '8080', 'hi']);
    expect([absent.stderr, noRoute.stderr]).toEqual(
      differsHere('connect-errors')
        ? [refused('10.0.1.99:8080'), refused('10.0.2.20:8080')]
        : [
            'error: 10.0.1.99:8080: host unreachable (EHOSTUNREACH)\n',
            'error: 10.0.2.20:8080: network unreachable (ENETUNREACH)\n',
          ],
    );
  });

  it(pinned('udp-route-errors'), async () => {
    const lab = await labFor('two-hosts');
    const noRoute = await lab.run('b', udpClient, ['--host', '10.0.2.20', '--port', '9090', '--timeout', '100', 'hi']);
    expect(noRoute.exitCode).toBe(1);
    const lines = {
      node: 'error: 10.0.2.20:9090: network unreachable (ENETUNREACH)\n',
      bun: 'error: 10.0.2.20:9090: Failed to connect socket\n',
      deno: 'error: no answer from 10.0.2.20:9090 for 1 of 1 message(s) after 4 attempt(s) each\n',
    };
    expect(noRoute.stderr).toBe(differsHere('udp-route-errors') ? lines[exampleRuntime] : lines.node);
  });

  it(pinned('connect-timeout'), async () => {
    const lab = await labFor('two-hosts');
    const server = await lab.startServer('a', echoServer, ['--host', '0.0.0.0']);
    await lab.lab('fault', 'a', 'drop', `tcp:${server.port}`);
    // The kernel retries a dropped SYN for about two minutes; the client's own timeout is 1.5 s.
    const dropped = await lab.run(
      'b',
      echoClient,
      ['--host', '10.0.1.10', '--port', String(server.port), '--timeout', '1500', 'hi'],
      { timeoutMs: 8000 },
    );
    if (differsHere('connect-timeout')) expect(dropped).toMatchObject({ killed: true, stderr: '' });
    else
      expect(dropped).toMatchObject({
        exitCode: 1,
        stderr: `error: timed out after 1500 ms waiting for 10.0.1.10:${server.port}\n`,
      });
    // How lab exec reports the server's exit is child-exit-after-kill's concern.
    await server.stop();
  });

  it(pinned('child-exit-after-kill'), async () => {
    const lab = await labFor('two-hosts');
    const server = await lab.startServer('a', echoServer);
    const result = await server.stop();
    expect(result.stdout).toMatch(/\nstopped\n$/);
    expect(result).toMatchObject({ exitCode: differsHere('child-exit-after-kill') ? 143 : 0, killed: false });
  });
});
