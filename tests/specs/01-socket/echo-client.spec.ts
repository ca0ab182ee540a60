import { runProgram, startServer } from '@netprog/shared/program';
import { programFile } from '@netprog/shared/programs';
import { expect, it } from 'vitest';
import { expectCleanStop } from '../../support/checks.ts';
import { closedTcpPort, silentTcpServer } from '../../support/peers.ts';

const echoClient = programFile('01-socket', 'echo-client');
const echoServer = programFile('01-socket', 'echo-server');
const stackTrace = /^\s+at /m;

it('sends its arguments as one line and prints the echo', async () => {
  const server = await startServer(echoServer);
  const result = await runProgram(echoClient, { args: ['--port', String(server.port), 'Hello,', 'World!'] });
  expect(result).toMatchObject({ exitCode: 0, stdout: 'Hello, World!\n', stderr: '' });
  await expectCleanStop(server);
});

it('without arguments sends stdin, half-closes, and prints the whole echo', async () => {
  const server = await startServer(echoServer);
  const input = `${'line of text\n'.repeat(50_000)}no newline at the end`;
  const result = await runProgram(echoClient, { args: ['--port', String(server.port)], input });
  expect(result.exitCode).toBe(0);
  expect(result.stdout).toBe(input);
  await expectCleanStop(server);
});

it('prints the greeting of hello-server when stdin is empty', async () => {
  const server = await startServer(programFile('01-socket', 'hello-server'));
  const result = await runProgram(echoClient, { args: ['--port', String(server.port)] });
  expect(result).toMatchObject({ exitCode: 0, stdout: 'Hello, world!\n' });
  await expectCleanStop(server);
});

it('to a port with nothing listening: exit 1, one error line saying refused, no stack', async () => {
  const port = await closedTcpPort();
  const result = await runProgram(echoClient, { args: ['--port', String(port), 'hi'] });
  expect(result.exitCode).toBe(1);
  expect(result.stderr).toBe(`error: 127.0.0.1:${port}: connection refused, is the server running? (ECONNREFUSED)\n`);
  expect(result.stderr).not.toMatch(stackTrace);
});

it('to a server that accepts but never answers: exit 1 after --timeout', async () => {
  const silent = await silentTcpServer();
  try {
    const result = await runProgram(echoClient, {
      args: ['--port', String(silent.port), '--timeout', '700', 'hi'],
    });
    expect(result.exitCode).toBe(1);
    expect(result.killed).toBe(false);
    expect(result.stderr).toBe(`error: timed out after 700 ms waiting for 127.0.0.1:${silent.port}\n`);
    expect(result.elapsedMs).toBeGreaterThanOrEqual(700);
  } finally {
    silent.close();
  }
});

it('rejects a bad --port value with exit 1 and one error line', async () => {
  const result = await runProgram(echoClient, { args: ['--port', 'eighty', 'hi'] });
  expect(result.exitCode).toBe(1);
  expect(result.stderr).toBe("error: --port must be an integer from 1 to 65535, got 'eighty'\n");
});
