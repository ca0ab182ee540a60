/**
 * tcp-relay on loopback (no root needed): each toxic does what it says to a real echo-server's
 * bytes, the stream arrives whole and in order however it is cut, and each ending is logged.
 * Time is asserted only as a lower bound: a relay may be slower than asked, never faster.
 */
import net from 'node:net';
import { runProgram, type Server, startServer } from '@netprog/shared/program';
import { programFile } from '@netprog/shared/programs';
import { expect, it } from 'vitest';
import { expectCleanStop } from '../../support/checks.ts';

const echoServer = programFile('01-socket', 'echo-server');
const echoClient = programFile('01-socket', 'echo-client');
const tcpRelay = programFile('06-network', 'tcp-relay');

async function relayTo(target: Server, ...toxics: string[]): Promise<Server> {
  return startServer(tcpRelay, { args: ['--target-port', String(target.port), '--seed', '7', ...toxics] });
}
const echo = (relay: Server, ...args: string[]) =>
  runProgram(echoClient, { args: ['--port', String(relay.port), ...args], timeoutMs: 30_000 });

it('latency and jitter delay the echo, each way, and keep every byte in order', async () => {
  const server = await startServer(echoServer);
  const relay = await relayTo(server, '--latency', '100', '--jitter', '50');
  const lines = Array.from({ length: 200 }, (_, index) => `line ${index}`).join('\n');
  const result = await runProgram(echoClient, { args: ['--port', String(relay.port)], input: `${lines}\n` });
  expect(result).toMatchObject({ exitCode: 0, stdout: `${lines}\n`, stderr: '' });
  // At least 50 ms each way (100 less the jitter), however the run was scheduled.
  expect(result.elapsedMs).toBeGreaterThanOrEqual(100);
  const bytes = Buffer.byteLength(lines) + 1;
  await relay.waitForLine(new RegExp(`^127\\.0\\.0\\.1:\\d+: ${bytes} bytes up, ${bytes} down, closed$`));
  await expectCleanStop(relay);
  await expectCleanStop(server);
});

it('slicing breaks a reader that takes one read for one message; echo-client reads to the end', async () => {
  const server = await startServer(echoServer);
  const relay = await relayTo(server, '--slice', '3', '--slice-delay', '50');
  // The tutorials' client: send, then one recv(1024), as if it held the whole answer.
  const socket = net.connect({ port: relay.port });
  socket.end('hello, sliced world\n');
  const chunks: string[] = [];
  for await (const chunk of socket) chunks.push(String(chunk));
  expect(chunks.join('')).toBe('hello, sliced world\n');
  // The first read holds a part only. A reader slower than the relay gets pieces run together
  // (the kernel keeps no boundaries), so a read is some whole pieces: a multiple of 3 bytes.
  expect(chunks.length).toBeGreaterThanOrEqual(2);
  for (const chunk of chunks.slice(0, -1)) expect(chunk.length % 3).toBe(0);
  expect(await echo(relay, 'hello, sliced world')).toMatchObject({ exitCode: 0, stdout: 'hello, sliced world\n' });
  await expectCleanStop(relay);
  await expectCleanStop(server);
});

it('a bandwidth limit of 64 KiB/s takes a second each way for 64 KiB', async () => {
  const server = await startServer(echoServer);
  const relay = await relayTo(server, '--bandwidth', '65536');
  const payload = 'x'.repeat(65_535);
  const result = await runProgram(echoClient, { args: ['--port', String(relay.port)], input: `${payload}\n` });
  expect(result.exitCode).toBe(0);
  expect(result.stdout.length).toBe(65_536);
  expect(result.elapsedMs).toBeGreaterThanOrEqual(1900);
  await expectCleanStop(relay);
  await expectCleanStop(server);
});

it('a stall passes N bytes, then nothing: the client times out; the relay cuts the connection later', async () => {
  const server = await startServer(echoServer);
  const relay = await relayTo(server, '--stall-after', '5', '--stall-timeout', '2000');
  const result = await echo(relay, '--timeout', '500', 'stalled on the way');
  expect(result).toMatchObject({ exitCode: 1, stdout: '' });
  expect(result.stderr).toBe(`error: timed out after 500 ms waiting for 127.0.0.1:${relay.port}\n`);
  await relay.waitForLine(/^127\.0\.0\.1:\d+: 19 bytes up, 0 down, stalled after 5 bytes, closed after 2000 ms$/);
  await expectCleanStop(relay);
  await expectCleanStop(server);
});

it('a reset after N bytes reaches both sides as ECONNRESET, logged as such', async () => {
  const server = await startServer(echoServer);
  const relay = await relayTo(server, '--reset-after', '10');
  const result = await echo(relay, 'a message of some length');
  expect(result.exitCode).toBe(1);
  expect(result.stderr).toBe(`error: 127.0.0.1:${relay.port}: connection reset by the peer (ECONNRESET)\n`);
  expect(result.stdout.length).toBeLessThanOrEqual(10);
  await relay.waitForLine(/^127\.0\.0\.1:\d+: 25 bytes up, \d down, reset after 10 bytes$/);
  await server.waitForLine(/ECONNRESET|^closed /);
  await expectCleanStop(relay);
  await expectCleanStop(server);
});

it('a slow close holds the FIN back: the echo arrives, the end of it later', async () => {
  const server = await startServer(echoServer);
  const relay = await relayTo(server, '--slow-close', '600');
  const socket = net.connect({ port: relay.port });
  socket.end('bye\n');
  const startedAt = Date.now();
  const [first] = (await new Promise((resolve) => socket.once('data', (chunk) => resolve([chunk])))) as [Buffer];
  const answeredAt = Date.now();
  await new Promise((resolve) => socket.on('end', resolve).resume());
  expect(String(first)).toBe('bye\n');
  // Two FINs are held: the client's on its way up and the server's on its way down.
  expect(Date.now() - startedAt).toBeGreaterThanOrEqual(1200);
  expect(Date.now() - answeredAt).toBeGreaterThanOrEqual(500);
  socket.destroy();
  await expectCleanStop(relay);
  await expectCleanStop(server);
});

it('a target that refuses: the client is closed on, the relay logs why in one line and serves on', async () => {
  const server = await startServer(echoServer);
  await expectCleanStop(server);
  const relay = await relayTo(server);
  const result = await echo(relay, 'anyone there?');
  expect(result.stdout).toBe('');
  await relay.waitForLine(
    new RegExp(
      `^127\\.0\\.0\\.1:\\d+: \\d+ bytes up, 0 down, server 127\\.0\\.0\\.1:${server.port}: connection refused`,
    ),
  );
  expect(relay.stderr).toBe('');
  await expectCleanStop(relay);
});

it('SIGTERM lets an open connection finish, then prints stopped', async () => {
  const server = await startServer(echoServer);
  const relay = await relayTo(server, '--latency', '300');
  const client = echo(relay, 'in flight');
  // The relay has connected upstream for the client: the connection is open.
  await server.waitForLine(/^connected /);
  const stopping = relay.stop();
  expect(await client).toMatchObject({ exitCode: 0, stdout: 'in flight\n' });
  const result = await stopping;
  expect(result.exitCode).toBe(0);
  expect(result.stdout).toMatch(
    /\nSIGTERM: stopping, 1 connection\(s\) open\n127\.0\.0\.1:\d+: 10 bytes up, 10 down, closed\nstopped\n$/,
  );
  await expectCleanStop(server);
});
