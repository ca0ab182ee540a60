import { runProgram, startServer } from '@netprog/shared/program';
import { programFile } from '@netprog/shared/programs';
import { expect, it } from 'vitest';
import { expectCleanStop } from '../../support/checks.ts';
import { closedTcpPort } from '../../support/peers.ts';

const asyncEchoServer = programFile('03-async', 'async-echo-server');
const concurrentClient = programFile('03-async', 'concurrent-client');

function timeOf(stdout: string, way: string): number {
  const match = new RegExp(`^${way}: (\\d+) ok, (\\d+) timed out, (\\d+) failed in (\\d+) ms$`, 'm').exec(stdout);
  if (!match) throw new Error(`no "${way}" line in ${JSON.stringify(stdout)}`);
  return Number(match[4]);
}

it('all at once is several times faster than one after another against a slow server', async () => {
  const server = await startServer(asyncEchoServer, { args: ['--delay', '300'] });
  const result = await runProgram(concurrentClient, {
    args: ['--port', String(server.port), '--requests', '10', '--limit', '5'],
  });
  expect(result.stderr).toBe('');
  expect(result.exitCode).toBe(0);
  const sequential = timeOf(result.stdout, 'sequential');
  const allAtOnce = timeOf(result.stdout, 'all at once');
  const limited = timeOf(result.stdout, 'at most 5');
  expect(sequential).toBeGreaterThanOrEqual(3000);
  expect(allAtOnce * 4).toBeLessThan(sequential);
  expect(limited * 2).toBeLessThan(sequential);
  expect(result.stdout).toMatch(/^sequential: 10 ok, 0 timed out, 0 failed/m);
  await expectCleanStop(server);
});

it('reports requests past their timeout as timed out, without hanging', async () => {
  const server = await startServer(asyncEchoServer, { args: ['--delay', '5000'] });
  const result = await runProgram(concurrentClient, {
    args: ['--port', String(server.port), '--requests', '3', '--timeout', '200'],
  });
  expect(result.exitCode).toBe(1);
  expect(result.killed).toBe(false);
  expect(result.stdout).toMatch(/^sequential: 0 ok, 3 timed out, 0 failed in \d+ ms$/m);
  expect(result.stdout).toMatch(/^all at once: 0 ok, 3 timed out, 0 failed in \d+ ms$/m);
  expect(timeOf(result.stdout, 'sequential')).toBeLessThan(2000);
  expect(result.elapsedMs).toBeLessThan(5000);
  await expectCleanStop(server);
});

it('against nothing listening: one error line, exit 1', async () => {
  const port = await closedTcpPort();
  const result = await runProgram(concurrentClient, { args: ['--port', String(port), '--requests', '2'] });
  expect(result.exitCode).toBe(1);
  expect(result.stderr).toBe(`error: 127.0.0.1:${port}: connection refused, is the server running? (ECONNREFUSED)\n`);
});
