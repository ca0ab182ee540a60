import { residentBytes } from '@netprog/shared/proc';
import { startServer } from '@netprog/shared/program';
import { programFile } from '@netprog/shared/programs';
import { connect, exchange, readToEnd, writeInPieces } from '@netprog/shared/tcp';
import { expect, it } from 'vitest';
import { expectCleanStop } from '../../support/checks.ts';

const asyncEchoServer = programFile('03-async', 'async-echo-server');

it('echoes one line on each of 1000 concurrent connections, all correct', async () => {
  const server = await startServer(asyncEchoServer);
  const replies = await Promise.all(
    Array.from({ length: 1000 }, (_, index) => exchange(server.port, `line ${index}\n`, { timeoutMs: 20_000 })),
  );
  replies.forEach((reply, index) => {
    expect(reply.toString()).toBe(`line ${index}\n`);
  });
  await expectCleanStop(server);
});

it.each([
  ['lines split into 1-byte writes', Buffer.from('first\nsecond\nthird\n'), 1],
  ['many lines in one write', Buffer.from(Array.from({ length: 5000 }, (_, i) => `line ${i}\n`).join('')), undefined],
  ['\\r\\n line ends', Buffer.from('dos line\r\nunix line\nlast without newline'), undefined],
  ['multi-byte UTF-8 cut between writes', Buffer.from('héllo wörld ✓ 日本語 🚀\n'), 1],
])('echoes %s byte-exact', async (_, payload, pieceBytes) => {
  const server = await startServer(asyncEchoServer);
  expect((await exchange(server.port, payload, { pieceBytes })).equals(payload)).toBe(true);
  await expectCleanStop(server);
});

it('closes a connection whose line passes the limit, with an error line, memory flat', async () => {
  const server = await startServer(asyncEchoServer, { args: ['--max-line-bytes', '65536'] });
  await exchange(server.port, 'warm up\n');
  const before = residentBytes(server.pid);
  const socket = await connect(server.port);
  const reply = readToEnd(socket, { timeoutMs: 10_000 });
  // 20 MiB without a newline: the server must give up after 64 KiB, not buffer it all.
  await writeInPieces(socket, Buffer.alloc(20 * 1024 * 1024, 'x'), 256 * 1024).catch(() => {});
  expect((await reply).toString()).toBe('error: line longer than 65536 bytes\n');
  socket.destroy();
  expect(residentBytes(server.pid) - before).toBeLessThan(30 * 1024 * 1024);
  await expect(exchange(server.port, 'still serving\n')).resolves.toEqual(Buffer.from('still serving\n'));
  await expectCleanStop(server);
});

it('says goodbye to a client silent past --idle-timeout', async () => {
  const server = await startServer(asyncEchoServer, { args: ['--idle-timeout', '300'] });
  const socket = await connect(server.port);
  expect((await readToEnd(socket)).toString()).toBe('bye: idle for 300 ms\n');
  socket.destroy();
  await expectCleanStop(server);
});

it('on SIGTERM finishes the line in flight, says goodbye to everyone and exits 0', async () => {
  const server = await startServer(asyncEchoServer, { args: ['--delay', '500'] });
  const busy = await connect(server.port);
  const idle = await connect(server.port);
  const busyReply = readToEnd(busy);
  const idleReply = readToEnd(idle);
  busy.write('almost done\n');
  await server.waitForLine(/^connected .*/, { from: 2 });
  const result = await server.stop();
  expect((await busyReply).toString()).toBe('almost done\nbye: server shutting down\n');
  expect((await idleReply).toString()).toBe('bye: server shutting down\n');
  expect(result).toMatchObject({ exitCode: 0, killed: false });
  expect(result.stdout).toMatch(/SIGTERM: saying goodbye to 2 client\(s\)\n[\s\S]*stopped\n$/);
});
