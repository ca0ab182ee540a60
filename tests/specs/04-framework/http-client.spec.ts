import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runProgram, startServer } from '@netprog/shared/program';
import { programFile } from '@netprog/shared/programs';
import { execa } from 'execa';
import { expect, it } from 'vitest';
import { expectCleanStop } from '../../support/checks.ts';
import { closedTcpPort, silentTcpServer } from '../../support/peers.ts';
import { hasPython } from '../../support/tools.ts';

const httpClient = programFile('04-framework', 'http-client');
const stackTrace = /^\s+at /m;

it('prints the status line, the headers and the body from app, and exits 0', async () => {
  const server = await startServer(programFile('04-framework', 'app'));
  const result = await runProgram(httpClient, { args: [`http://127.0.0.1:${server.port}/`] });
  expect(result.exitCode).toBe(0);
  expect(result.stdout).toMatch(/^HTTP\/1\.1 200 OK\n(?:[a-z-]+: .*\n)+\nHello, world!\n$/);
  expect(result.stdout).toMatch(/^content-type: text\/plain; charset=utf-8$/m);
  await expectCleanStop(server);
});

it('posts JSON with --data and shows the 201', async () => {
  const server = await startServer(programFile('04-framework', 'app'));
  const result = await runProgram(httpClient, {
    args: ['--data', '{"text":"hi"}', `http://127.0.0.1:${server.port}/notes`],
  });
  expect(result.exitCode).toBe(0);
  expect(result.stdout).toMatch(/^HTTP\/1\.1 201 Created\n[\s\S]*\n\n\{"id":1,"text":"hi","createdAt":"[^"]+"\}\n$/);
  await expectCleanStop(server);
});

it('prints a 404 response, then exits 1 with an error line', async () => {
  const server = await startServer(programFile('04-framework', 'app'));
  const result = await runProgram(httpClient, { args: [`http://127.0.0.1:${server.port}/missing`] });
  expect(result.exitCode).toBe(1);
  expect(result.stdout).toMatch(/^HTTP\/1\.1 404 Not Found\n[\s\S]*"statusCode":404/);
  expect(result.stderr).toBe(`error: 127.0.0.1:${server.port} answered 404 Not Found\n`);
  await expectCleanStop(server);
});

it('against a closed port: exit 1, one error line saying refused, no stack', async () => {
  const port = await closedTcpPort();
  const result = await runProgram(httpClient, { args: [`http://127.0.0.1:${port}/`] });
  expect(result.exitCode).toBe(1);
  expect(result.stderr).toBe(`error: 127.0.0.1:${port}: connection refused, is the server running? (ECONNREFUSED)\n`);
  expect(result.stderr).not.toMatch(stackTrace);
});

it('against a server that never answers: exit 1 after --timeout', async () => {
  const silent = await silentTcpServer();
  try {
    const result = await runProgram(httpClient, {
      args: ['--timeout', '700', `http://127.0.0.1:${silent.port}/`],
    });
    expect(result).toMatchObject({ exitCode: 1, killed: false });
    expect(result.stderr).toBe(`error: timed out after 700 ms waiting for 127.0.0.1:${silent.port}\n`);
    expect(result.elapsedMs).toBeGreaterThanOrEqual(700);
  } finally {
    silent.close();
  }
});

it('against a server that answers garbage: exit 1, "bad response"', async () => {
  const liar = net.createServer((socket) => socket.end('HELLO, I AM NOT HTTP\r\n\r\n')).listen(0, '127.0.0.1');
  await new Promise((resolve) => liar.once('listening', resolve));
  const { port } = liar.address() as net.AddressInfo;
  try {
    const result = await runProgram(httpClient, { args: [`http://127.0.0.1:${port}/`] });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(
      /^error: (bad response from 127\.0\.0\.1:\d+|127\.0\.0\.1:\d+: (connection reset|other side closed))/,
    );
    expect(result.stderr.split('\n')).toHaveLength(2);
  } finally {
    liar.close();
  }
});

it.runIf(hasPython)('fetches from Python http.server (skipped without python3)', async () => {
  const directory = mkdtempSync(path.join(tmpdir(), 'http-server-'));
  writeFileSync(path.join(directory, 'hello.txt'), 'served by Python\n');
  const python = execa('python3', ['-u', '-m', 'http.server', '0', '--bind', '127.0.0.1'], {
    cwd: directory,
    reject: false,
  });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      python.stdout?.on('data', (text: Buffer) => {
        const match = /port (\d+)/.exec(text.toString());
        if (match) resolve(Number(match[1]));
      });
      python.once('exit', () => reject(new Error('python http.server exited')));
    });
    const result = await runProgram(httpClient, { args: [`http://127.0.0.1:${port}/hello.txt`] });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^HTTP\/1\.1 200 OK\n[\s\S]*\n\nserved by Python\n$/);
  } finally {
    python.kill();
    await python;
    rmSync(directory, { recursive: true, force: true });
  }
});
