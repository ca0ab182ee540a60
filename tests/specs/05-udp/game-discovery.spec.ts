/**
 * Finding a game on the local network: game-client --discover hears game-server's announcements
 * by multicast (and by broadcast with --broadcast) on loopback. The client listens first, on a port
 * the system picks, and the server is told that port: no fixed port, no race for one.
 */
import { type Program, runProgram, spawnProgram, startServer } from '@netprog/shared/program';
import { programFile } from '@netprog/shared/programs';
import { expect, it } from 'vitest';
import { expectCleanStop } from '../../support/checks.ts';

const gameServer = programFile('05-udp', 'game-server');
const gameClient = programFile('05-udp', 'game-client');

/** Starts a client listening for announcements and returns it with the port it listens on. */
async function listening(args: string[]): Promise<[Program, string]> {
  const client = spawnProgram(gameClient, { args: ['--discover', '--discovery-port', '0', ...args] });
  const index = await client.waitForLine(/^looking for games on /);
  const line = client.stdoutLines[index] ?? '';
  expect(line).toMatch(/^looking for games on 239\.255\.77\.77:(\d+) and 127\.255\.255\.255:\1 via 127\.0\.0\.1$/);
  return [client, /:(\d+) and/.exec(line)?.[1] ?? ''];
}

it.each([
  ['multicast', [], 'multicast \\(TTL 1\\) to 239\\.255\\.77\\.77'],
  ['broadcast', ['--broadcast'], 'broadcast to 127\\.255\\.255\\.255'],
])('lists a game announced by %s, with its address and players', async (by, extra, announcing) => {
  const [client, port] = await listening(['--list', '--timeout', '1500']);
  const args = ['--discovery-port', port, '--announce-every', '200', '--name', `by-${by}`, ...extra];
  const server = await startServer(gameServer, { args });
  expect(server.stdout).toMatch(
    new RegExp(`^announcing by ${announcing}:${port} via 127\\.0\\.0\\.1 every 200 ms$`, 'm'),
  );
  const result = await client.exited;
  expect(result.exitCode, result.stderr).toBe(0);
  // Listed once, however many announcements came in the 1.5 s.
  expect(result.stdout.match(/^found /gm)).toHaveLength(1);
  expect(result.stdout).toMatch(
    new RegExp(`^found by-${by} at 127\\.0\\.0\\.1:${server.port} \\(0 of 16 players, by ${by}\\)$`, 'm'),
  );
  await expectCleanStop(server);
});

it('joins the first game it finds and plays it', async () => {
  const [client, port] = await listening(['--bot', '--seed', '5', '--moves', '10', '--name', 'finder']);
  const server = await startServer(gameServer, { args: ['--discovery-port', port, '--announce-every', '200'] });
  const result = await client.exited;
  expect(result.exitCode, result.stderr).toBe(0);
  expect(result.stdout).toMatch(new RegExp(`^found arena at 127\\.0\\.0\\.1:${server.port} `, 'm'));
  expect(result.stdout).toMatch(/^final position \d+,\d+ after input 10, score \d+; players seen: finder$/m);
  await server.waitForLine(/^left finder \(quit\) /);
  await expectCleanStop(server);
});

it('exits 1 with one error line when no game is announced within --timeout', async () => {
  const result = await runProgram(gameClient, {
    args: ['--list', '--discovery-port', '0', '--timeout', '300'], // --list alone discovers too
  });
  expect(result.exitCode).toBe(1);
  expect(result.stderr).toBe('error: no game announced within 300 ms\n');
});

it('refuses an interface address this machine does not have, in one line', async () => {
  const result = await runProgram(gameClient, { args: ['--discover', '--list', '--interface', '192.0.2.123'] });
  expect(result.exitCode).toBe(1);
  expect(result.stderr).toMatch(/^error: cannot join 239\.255\.77\.77 via 192\.0\.2\.123: .+\n$/);
  const server = await runProgram(gameServer, { args: ['--port', '0', '--interface', '192.0.2.123'] });
  expect(server.exitCode).toBe(1);
  expect(server.stderr).toMatch(/^error: cannot announce to 239\.255\.77\.77 via 192\.0\.2\.123: .+\n$/);
});
