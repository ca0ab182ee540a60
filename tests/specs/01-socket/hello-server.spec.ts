import { startServer } from '@netprog/shared/program';
import { programFile } from '@netprog/shared/programs';
import { exchange } from '@netprog/shared/tcp';
import { execa } from 'execa';
import { expect, it } from 'vitest';
import { expectCleanStop } from '../../support/checks.ts';
import { hasPython } from '../../support/tools.ts';

const helloServer = programFile('01-socket', 'hello-server');

it('greets every client, one after another, and logs each', async () => {
  const server = await startServer(helloServer);
  for (let client = 0; client < 20; client++) {
    expect((await exchange(server.port, '')).toString()).toBe('Hello, world!\n');
  }
  await server.waitForLine(/^greeted /, { from: 20 });
  await expectCleanStop(server);
});

it('greets 100 clients at once', async () => {
  const server = await startServer(helloServer, { args: ['--greeting', 'hi'] });
  const replies = await Promise.all(Array.from({ length: 100 }, () => exchange(server.port, '')));
  expect(new Set(replies.map(String))).toEqual(new Set(['hi\n']));
  await expectCleanStop(server);
});

// The client half of tutorial 000 §2.1's exchange: connect and recv what the server sends.
it.runIf(hasPython)('is heard by a Python socket client (skipped without python3)', async () => {
  const server = await startServer(helloServer);
  const client = `
import socket
s = socket.create_connection(('127.0.0.1', ${server.port}))
print(s.recv(1024).decode(), end='')
s.close()`;
  const result = await execa('python3', ['-c', client], { timeout: 10_000 });
  expect(result.stdout).toBe('Hello, world!'); // execa drops the final newline.
  await expectCleanStop(server);
});
