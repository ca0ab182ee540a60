/** raw-server (node:http): the checks both HTTP servers share, and an early 413. */
import { httpGet } from '@netprog/shared/http';
import { startServer } from '@netprog/shared/program';
import { programFile } from '@netprog/shared/programs';
import { exchange } from '@netprog/shared/tcp';
import { expect, it } from 'vitest';
import { expectCleanStop } from '../../support/checks.ts';
import { checkHttpServer, statusOf } from '../../support/http-server-checks.ts';

checkHttpServer('raw-server');

it('raw-server refuses a declared Content-Length over the limit before reading the body', async () => {
  const server = await startServer(programFile('04-framework', 'raw-server'), {
    args: ['--body-limit', '10'],
  });
  const reply = await exchange(server.port, 'POST /inspect HTTP/1.1\r\nHost: t\r\nContent-Length: 1000000\r\n\r\n');
  expect(statusOf(reply)).toBe('413');
  expect((await httpGet(server.port, '/')).status).toBe(200);
  await expectCleanStop(server);
});
