import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runProgram, type Server, startServer } from '@netprog/shared/program';
import { programFile } from '@netprog/shared/programs';
import { connect, exchange, writeInPieces } from '@netprog/shared/tcp';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { expectCleanStop } from '../../support/checks.ts';

const fileServer = programFile('01-socket', 'file-server');
const fileClient = programFile('01-socket', 'file-client');
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

// Each test gets a fresh working directory; the server saves into its "received" subfolder.
let workDirectory: string;
let received: string;
let server: Server;
beforeEach(async () => {
  workDirectory = mkdtempSync(path.join(tmpdir(), 'file-transfer-'));
  received = path.join(workDirectory, 'received');
  server = await startServer(fileServer, {
    cwd: workDirectory,
    args: ['--max-bytes', String(20 * 1024 * 1024)],
  });
});
afterEach(async () => {
  await expectCleanStop(server);
  // The server's directory is the only place it writes.
  expect(readdirSync(workDirectory).filter((name) => !name.startsWith('to-send'))).toEqual(['received']);
  rmSync(workDirectory, { recursive: true, force: true });
});

async function send(bytes: Buffer, name: string) {
  const file = path.join(workDirectory, `to-send-${name}`);
  writeFileSync(file, bytes);
  return runProgram(fileClient, {
    args: ['--port', String(server.port), '--name', name, file],
    timeoutMs: 60_000,
  });
}

it.each([
  ['empty.bin', 0],
  ['one.bin', 1],
  ['sixteen-mib.bin', 16 * 1024 * 1024],
])('transfers %s (%i bytes) verified by SHA-256', async (name, size) => {
  const bytes = randomBytes(size);
  const result = await send(bytes, name);
  expect(result.stderr).toBe('');
  expect(result.exitCode).toBe(0);
  expect(result.stdout).toBe(`sent ${name}: ${size} bytes, sha256 ${sha256(bytes)}\nOK ${size} ${sha256(bytes)}\n`);
  expect(sha256(readFileSync(path.join(received, name)))).toBe(sha256(bytes));
  expect(readdirSync(received)).toEqual([name]);
});

it('an upload cut off midway leaves no file, not even a temporary one', async () => {
  const bytes = randomBytes(1024 * 1024);
  const socket = await connect(server.port);
  await writeInPieces(socket, Buffer.from(`SEND ${bytes.length} ${sha256(bytes)} cut.bin\n`));
  await writeInPieces(socket, bytes.subarray(0, bytes.length / 2));
  socket.resetAndDestroy();
  // The server sees the reset, or, if the reset overtakes data still in flight, an early end.
  const refusal = /^refused .+: (ECONNRESET|connection closed after \d+ of 1048576 bytes)$/m;
  await server.waitFor('the refusal', () => refusal.exec(server.stderr) ?? undefined);
  expect(readdirSync(received)).toEqual([]);
});

it('a file whose bytes do not match the declared SHA-256 is refused and not kept', async () => {
  const reply = await exchange(server.port, `SEND 5 ${sha256(Buffer.from('other'))} lie.txt\nhello`);
  expect(reply.toString()).toMatch(/^ERROR sha256 mismatch: received [0-9a-f]{64}\n$/);
  expect(readdirSync(received)).toEqual([]);
});

it.each([
  ['a slash', '../escape.txt', 'file name contains a path separator'],
  ['an absolute path', '/tmp/escape.txt', 'file name contains a path separator'],
  ['a backslash', '..\\escape.txt', 'file name contains a path separator'],
  ['two dots', 'a..b', 'file name contains ".."'],
  ['a NUL', 'a\u0000b', 'file name contains a control character'],
])('refuses a name with %s', async (_, name, reason) => {
  const reply = await exchange(server.port, `SEND 1 ${sha256(Buffer.from('x'))} ${name}\nx`);
  expect(reply.toString()).toBe(`ERROR ${reason}\n`);
  expect(readdirSync(received)).toEqual([]);
  expect(readdirSync(path.dirname(workDirectory)).includes('escape.txt')).toBe(false);
});

it('refuses a declared size over the limit before a byte of the body is sent', async () => {
  const tooBig = 20 * 1024 * 1024 + 1;
  // Only the header goes out: the answer must come without waiting for any body.
  const socket = await connect(server.port);
  const answer = new Promise<string>((resolve) => socket.once('data', (chunk) => resolve(chunk.toString())));
  socket.write(`SEND ${tooBig} ${'0'.repeat(64)} big.bin\n`);
  expect(await answer).toBe(`ERROR file of ${tooBig} bytes is over the limit of ${20 * 1024 * 1024} bytes\n`);
  socket.destroy();
  expect(readdirSync(received)).toEqual([]);
});

it('refuses a header line that never ends, after a bounded number of bytes', async () => {
  const reply = await exchange(server.port, 'SEND '.repeat(1000));
  expect(reply.toString()).toBe('ERROR header longer than 1024 bytes\n');
});

it('file-client reports a refusal on stderr and exits 1', async () => {
  const result = await send(Buffer.from('x'), 'a..b');
  expect(result.exitCode).toBe(1);
  expect(result.stderr).toBe(`error: cannot send as 'a..b': file name contains ".."\n`);
});

it('file-client reports a refusal from the server and exits 1', async () => {
  await expectCleanStop(server);
  server = await startServer(fileServer, { cwd: workDirectory, args: ['--max-bytes', '10'] });
  const result = await send(randomBytes(11), 'eleven.bin');
  expect(result.exitCode).toBe(1);
  expect(result.stderr).toBe(
    `error: 127.0.0.1:${server.port} refused eleven.bin: file of 11 bytes is over the limit of 10 bytes\n`,
  );
});
