import { runProgram, startServer } from '@netprog/shared/program';
import { programFile } from '@netprog/shared/programs';
import { expect, it } from 'vitest';
import { expectCleanStop } from '../../support/checks.ts';
import { freeUdpPort } from '../../support/ports.ts';

const udpClient = programFile('05-udp', 'udp-client');
const udpServer = programFile('05-udp', 'udp-server');
const lossyRelay = programFile('05-udp', 'lossy-relay');
const stackTrace = /^\s+at /m;

function stats(stdout: string) {
  const match =
    /^sent (\d+), answered (\d+), retried (\d+), duplicates ignored (\d+), late ignored (\d+), failed (\d+)$/m.exec(
      stdout,
    );
  if (!match) throw new Error(`no statistics line in ${JSON.stringify(stdout.slice(-300))}`);
  const [sent, answered, retried, duplicates, late, failed] = match.slice(1).map(Number);
  return { sent, answered, retried, duplicates, late, failed };
}

it('sends each message numbered and prints the matched answers in order', async () => {
  const server = await startServer(udpServer, { args: ['--quiet'] });
  const result = await runProgram(udpClient, { args: ['--port', String(server.port), 'hello', 'UDP world'] });
  expect(result.exitCode).toBe(0);
  expect(result.stdout).toBe(
    '1: hello\n2: UDP world\nsent 2, answered 2, retried 0, duplicates ignored 0, late ignored 0, failed 0\n',
  );
  await expectCleanStop(server);
});

it('through 30 % loss with duplicates and reordering, completes 100 requests, each matched', async () => {
  const server = await startServer(udpServer, { args: ['--quiet'] });
  const relay = await startServer(lossyRelay, {
    args: [
      '--target-port',
      String(server.port),
      '--drop',
      '0.3',
      '--duplicate',
      '0.2',
      '--reorder',
      '0.2',
      '--delay',
      '30',
    ],
  });
  const result = await runProgram(udpClient, {
    args: ['--port', String(relay.port), '--count', '100', '--window', '10', '--timeout', '50', '--attempts', '20'],
    timeoutMs: 60_000,
  });
  expect(result.stderr).toBe('');
  expect(result.exitCode).toBe(0);
  const counts = stats(result.stdout);
  expect(counts).toMatchObject({ answered: 100, failed: 0 });
  expect(counts.retried).toBeGreaterThan(0);
  // Every answer printed is the message that was sent under that number.
  for (let i = 1; i <= 100; i++) expect(result.stdout).toContain(`\n${i}: message ${i}\n`.slice(i === 1 ? 1 : 0));
  const relayed = await relay.stop();
  expect(relayed.stdout).toMatch(/^forwarded \d+, dropped [1-9]\d*, duplicated [1-9]\d*, delayed [1-9]\d*$/m);
  await expectCleanStop(server);
});

it('at 100 % loss gives up after its attempts, within the documented time, and exits 1', async () => {
  const server = await startServer(udpServer, { args: ['--quiet'] });
  const relay = await startServer(lossyRelay, {
    args: ['--target-port', String(server.port), '--drop', '1'],
  });
  // 4 attempts waiting 100 + 200 + 400 + 800 ms: 1.5 s, for both messages in flight together.
  const result = await runProgram(udpClient, {
    args: ['--port', String(relay.port), '--timeout', '100', '--attempts', '4', '--window', '2', 'a', 'b'],
  });
  expect(result.exitCode).toBe(1);
  expect(result.stderr).toBe(
    `error: no answer from 127.0.0.1:${relay.port} for 2 of 2 message(s) after 4 attempt(s) each\n`,
  );
  expect(stats(result.stdout)).toMatchObject({ sent: 8, answered: 0, retried: 6, failed: 2 });
  expect(result.elapsedMs).toBeGreaterThanOrEqual(1500);
  expect(result.elapsedMs).toBeLessThan(5000);
  await expectCleanStop(relay);
  await expectCleanStop(server);
});

it('with nothing listening: exit 1, one error line, no stack, long before its timeouts', async () => {
  const port = await freeUdpPort();
  const result = await runProgram(udpClient, {
    args: ['--port', String(port), '--timeout', '1000', 'anyone?'],
  });
  expect(result.exitCode).toBe(1);
  expect(result.stderr).toBe(`error: nobody is listening on 127.0.0.1:${port} (ECONNREFUSED)\n`);
  expect(result.stderr).not.toMatch(stackTrace);
  expect(result.elapsedMs).toBeLessThan(15_000);
});

it('refuses a message too big for one datagram (EMSGSIZE)', async () => {
  const result = await runProgram(udpClient, { args: ['x'.repeat(65_506)] });
  expect(result.exitCode).toBe(1);
  expect(result.stderr).toBe(
    'error: message 1 needs a datagram of 65508 bytes; UDP carries at most 65507 (EMSGSIZE)\n',
  );
});
