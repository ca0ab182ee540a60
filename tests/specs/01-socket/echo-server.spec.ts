import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import net from 'node:net';
import { setTimeout } from 'node:timers/promises';
import { residentBytes } from '@netprog/shared/proc';
import { type Server, startServer } from '@netprog/shared/program';
import { programFile } from '@netprog/shared/programs';
import { connect, readToEnd, writeInPieces } from '@netprog/shared/tcp';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectCleanStop, expectEcho, expectSurvivesResets } from '../../support/checks.ts';
import { hasNetcat, hasPython } from '../../support/tools.ts';

const echoServer = programFile('01-socket', 'echo-server');

// Most tests use a server with the default flags, started for the test and stopped after it with
// SIGTERM, which must exit 0 (the SIGTERM test stops it itself). Tests that need other flags start their own.
describe('with default flags', () => {
  let server: Server;
  beforeEach(async () => {
    server = await startServer(echoServer);
  });
  afterEach(async () => {
    await expectCleanStop(server);
  });

  // Tutorial 001 §1.6, verbatim but for the port: connect, send, one recv(1024), close.
  it.runIf(hasPython)("answers the tutorials' Python client (skipped without python3)", async () => {
    const tutorialClient = `
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.connect(('localhost', ${server.port}))
s.send(b'Hello, World!')
data = s.recv(1024)
s.close()
print(data.decode())`;
    const result = await execa('python3', ['-c', tutorialClient], { timeout: 10_000 });
    expect(result.stdout).toBe('Hello, World!');
  });

  it.runIf(hasNetcat)('echoes what nc sends, \\r\\n and all (skipped without OpenBSD nc)', async () => {
    const input = 'hello\r\nworld\nno newline';
    const result = await execa('nc', ['-N', '127.0.0.1', String(server.port)], { input, timeout: 10_000 });
    expect(result.stdout).toBe(input);
  });

  it('echoes 256 KiB to each of 50 concurrent clients, intact', async () => {
    const payloads = Array.from({ length: 50 }, () => randomBytes(256 * 1024));
    await Promise.all(payloads.map((payload) => expectEcho(server.port, payload)));
  });

  it('echoes 1-byte writes and one 1 MiB write byte-exact', async () => {
    await expectEcho(server.port, randomBytes(2000), 1);
    await expectEcho(server.port, randomBytes(1024 * 1024));
  });

  it('after a half-close, sends the whole echo and then EOF', async () => {
    const socket = await connect(server.port);
    const reply = readToEnd(socket);
    const payload = randomBytes(3 * 1024 * 1024);
    await writeInPieces(socket, payload);
    socket.end();
    expect((await reply).equals(payload)).toBe(true);
    socket.destroy();
  });

  it('survives 300 abrupt resets, some mid-transfer, with memory bounded', async () => {
    await expectSurvivesResets(server, 30);
    const before = residentBytes(server.pid);
    await expectSurvivesResets(server, 300);
    const after = residentBytes(server.pid);
    expect(after - before).toBeLessThan(40 * 1024 * 1024);
    expect(server.stderr).toMatch(/^error 127\.0\.0\.1:\d+: ECONNRESET$/m);
  });

  it('on SIGTERM closes idle connections with EOF, says so, and exits 0', async () => {
    const socket = await connect(server.port);
    await server.waitForLine(/^connected /);
    const reply = readToEnd(socket);
    const result = await server.stop();
    expect((await reply).length).toBe(0);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^SIGTERM: stopping, 1 connection\(s\) open$/m);
    expect(result.stdout).toMatch(/stopped\n$/);
  });
});

/** A client that keeps its side open after the server's FIN, as a stuck peer would. */
async function stubbornClient(port: number): Promise<net.Socket> {
  const socket = net.connect({ host: '127.0.0.1', port, allowHalfOpen: true });
  socket.on('error', () => {});
  socket.resume();
  await once(socket, 'connect');
  return socket;
}

it('on SIGTERM waits for a stuck client only until --shutdown-timeout, then exits 0', async () => {
  const patient = await startServer(echoServer, { args: ['--shutdown-timeout', '400'] });
  const socket = await stubbornClient(patient.port);
  await patient.waitForLine(/^connected /);
  const result = await patient.stop({ deadlineMs: 5000 });
  expect(result).toMatchObject({ exitCode: 0, killed: false });
  expect(result.elapsedMs).toBeGreaterThanOrEqual(400);
  expect(result.stdout).toMatch(/closed 127\.0\.0\.1:\d+ .*\nstopped\n$/);
  socket.destroy();
});

it('the same signal relayed at once does not abort the drain; a later one exits at once', async () => {
  const patient = await startServer(echoServer, { args: ['--shutdown-timeout', '60000'] });
  const socket = await stubbornClient(patient.port);
  await patient.waitForLine(/^connected /);
  patient.signal('SIGINT');
  await patient.waitForLine(/^SIGINT: stopping, 1 connection\(s\) open$/);
  // What the tsx CLI does when a program is slow to acknowledge Ctrl+C: the same signal again.
  patient.signal('SIGINT');
  // A person's second Ctrl+C comes later than the half-second window the rule allows the relay.
  await setTimeout(600);
  expect(patient.isRunning()).toBe(true);
  patient.signal('SIGINT');
  const result = await patient.exited;
  expect(result).toMatchObject({ exitCode: 1, killed: false });
  expect(result.stdout.match(/^SIGINT/gm)).toEqual(['SIGINT', 'SIGINT']);
  expect(result.stdout).toMatch(/^SIGINT again: exiting now$/m);
  socket.destroy();
});

it('closes a connection that stays silent past --idle-timeout', async () => {
  const idle = await startServer(echoServer, { args: ['--idle-timeout', '300'] });
  const socket = await connect(idle.port);
  const started = Date.now();
  await readToEnd(socket, { timeoutMs: 5000 }).catch(() => {});
  expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  await idle.waitForLine(/^idle 127\.0\.0\.1:\d+: closing after 300 ms of silence$/);
  await expectCleanStop(idle);
});

it('refuses connections beyond --max-connections and keeps serving the others', async () => {
  const limited = await startServer(echoServer, { args: ['--max-connections', '2'] });
  const first = await connect(limited.port);
  const second = await connect(limited.port);
  await limited.waitForLine(/\(2 open\)$/);
  // The kernel completes the handshake before Node sees the connection, so the refused client
  // connects and is then closed at once: with a FIN or, if the timing falls so, a reset.
  const third = await connect(limited.port);
  const outcome = await readToEnd(third).then(
    (bytes) => `EOF after ${bytes.length} bytes`,
    (error: NodeJS.ErrnoException) => error.code,
  );
  expect(['EOF after 0 bytes', 'ECONNRESET']).toContain(outcome);
  await limited.waitFor('a refusal', () => /^refused .*2 connections open$/m.exec(limited.stderr) ?? undefined);
  first.destroy();
  second.destroy();
  await limited.waitFor('both closes', () => (limited.stdout.match(/^closed /gm)?.length === 2 ? true : undefined));
  await expectEcho(limited.port, Buffer.from('after the crowd\n'));
  await expectCleanStop(limited);
});
