/**
 * chat-web's own rules, tried with a WebSocket client (ws) and the terminal programs: a message too
 * long, with several lines, binary or too fast closes its sender with the code that says why; a
 * room that is not open is reported; a page that stops reading is dropped while the others get
 * everything; on SIGTERM every user is closed with 1001 and the gateway exits 0. chat-ws-client
 * (Node's WebSocket, or ws on Node 20) talks with a terminal member.
 */
import { LineClient } from '@netprog/shared/line-client';
import { runProgram, type Server, startServer } from '@netprog/shared/program';
import { programFile } from '@netprog/shared/programs';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { expectCleanStop } from '../../support/checks.ts';
import { closedTcpPort } from '../../support/peers.ts';

let room: Server;
let web: Server;
beforeEach(async () => {
  room = await startServer(programFile('03-async', 'chat-server'));
  web = await startServer(programFile('03-async', 'chat-web'), { args: ['--room-port', String(room.port)] });
});
afterEach(async () => {
  await expectCleanStop(web);
  await expectCleanStop(room);
});

/** A WebSocket user: every message it gets, and how it was closed. */
async function user(nick: string, port = web.port) {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/chat`);
  const messages: string[] = [];
  socket.on('message', (data) => messages.push(data.toString()));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  socket.send(nick);
  return { socket, messages, closed };
}
const until = (what: string, check: () => boolean) => expect.poll(check, { timeout: 10_000, message: what }).toBe(true);

it('closes a sender whose message is too long (1009), has several lines or is binary (1003), or comes too fast (1008)', async () => {
  const cases: [string, (socket: WebSocket) => void, number][] = [
    ['too long', (socket) => socket.send('x'.repeat(1001)), 1009],
    ['two lines', (socket) => socket.send('one\ntwo'), 1003],
    ['binary', (socket) => socket.send(Buffer.from('hi')), 1003],
    ['too fast', (socket) => Array.from({ length: 20 }, (_, i) => socket.send(`spam ${i}`)), 1008],
  ];
  const carol = await LineClient.open(room.port);
  carol.send('carol');
  for (const [nick, misbehave, code] of cases.map(
    ([what, act, code]) => [what.replace(' ', '-'), act, code] as const,
  )) {
    const { socket, messages, closed } = await user(nick);
    await until(`welcome ${nick}`, () => messages.some((text) => text.startsWith('welcome ')));
    misbehave(socket);
    expect((await closed).code).toBe(code);
  }
  // The burst allowance is 10 messages: the nickname and the first 9 of the 20 sent at once.
  await carol.waitFor(/^\* too-fast left/);
  expect(carol.lines.filter((line) => line.startsWith('too-fast: '))).toHaveLength(9);
  carol.close();
});

it('cuts off a peer that stops answering pings, within two ping intervals', async () => {
  const pinged = await startServer(programFile('03-async', 'chat-web'), {
    args: ['--room-port', String(room.port), '--ping-interval', '300'],
  });
  // A peer that is gone without closing: ws answers pings by itself unless told not to.
  const socket = new WebSocket(`ws://127.0.0.1:${pinged.port}/chat`, { autoPong: false });
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  await new Promise((resolve) => socket.once('open', resolve));
  socket.send('ghost');
  const started = performance.now();
  expect(await closed).toBe(1006); // terminated: no closing handshake
  expect(performance.now() - started).toBeLessThan(2000);
  await room.waitForLine(/^ghost left/);
  await expectCleanStop(pinged);
});

it('refuses a DNS-rebinding page: a foreign origin whose Host header names it too', async () => {
  const rebound = `evil.example:${web.port}`;
  const socket = new WebSocket(`ws://127.0.0.1:${web.port}/chat`, {
    origin: `http://${rebound}`,
    headers: { host: rebound },
  });
  const refusal = await new Promise((resolve) =>
    socket.on('unexpected-response', (request, response) => {
      resolve(response.statusCode);
      request.destroy(); // ws leaves an unexpected response to its listener to end
    }),
  );
  expect(refusal).toBe(403);
});

it('says so when the room is not open, and closes with 1011', async () => {
  const lonely = await startServer(programFile('03-async', 'chat-web'), {
    args: ['--room-port', String(await closedTcpPort())],
  });
  const { messages, closed } = await user('alice', lonely.port);
  expect(await closed).toEqual({ code: 1011, reason: 'the room connection failed' });
  expect(messages).toEqual([
    expect.stringMatching(/^error: the room is not open \(is chat-server running on \d+\?\)$/),
  ]);
  await expectCleanStop(lonely);
});

it('drops a page that stops reading; the other page and the terminal get everything', async () => {
  const stuck = await user('stuck');
  const reader = await user('reader');
  await until('both welcomed', () => stuck.messages.length > 0 && reader.messages.length > 0);
  stuck.socket.pause(); // reads nothing more: its TCP window fills, then the gateway's buffer
  const carol = await LineClient.open(room.port);
  carol.send('carol');
  await carol.waitFor(/^welcome carol!/);
  const line = 'x'.repeat(4000);
  for (let i = 0; i < 2000; i++) carol.send(`${i} ${line}`); // 8 MB for each member
  expect(await carol.waitFor(/^\* stuck /, { timeoutMs: 20_000 })).toMatch(/^\* stuck (was dropped|left)/);
  await until(
    'the reader got all 2000',
    () => reader.messages.filter((text) => text.startsWith('carol: ')).length === 2000,
  );
  reader.socket.close();
  stuck.socket.terminate();
  carol.close();
}, 30_000);

it('on SIGTERM closes every user with 1001 "server shutting down", and the room sees them leave', async () => {
  const alice = await user('alice');
  const bob = await user('bob');
  await until('both welcomed', () => alice.messages.length > 0 && bob.messages.length > 0);
  const stopped = await web.stop();
  expect(stopped).toMatchObject({ exitCode: 0, killed: false });
  expect(stopped.stdout).toMatch(/^SIGTERM: closing 2 page\(s\)\n(closed 127\.0\.0\.1:\d+ \(1001\)\n){2}stopped\n$/m);
  for (const { closed } of [alice, bob]) expect(await closed).toEqual({ code: 1001, reason: 'server shutting down' });
  await room.waitForLine(/^bob left/);
  await room.waitForLine(/^alice left/);
});

it('chat-ws-client joins through the web door, talks with a terminal member, and leaves with /quit', async () => {
  const carol = await LineClient.open(room.port);
  carol.send('carol');
  await carol.waitFor(/^welcome carol!/);
  const dave = runProgram(programFile('03-async', 'chat-ws-client'), {
    args: ['--nick', 'dave', '--url', `ws://127.0.0.1:${web.port}/chat`],
    input: 'hello from a WebSocket\n',
  });
  expect(await carol.waitFor(/^dave: /)).toBe('dave: hello from a WebSocket');
  expect(await dave).toMatchObject({ exitCode: 0, stdout: 'welcome dave! here: carol\nbye dave\n', stderr: '' });
  expect(await carol.waitFor(/^\* dave left/)).toBe('* dave left');
  const twin = await runProgram(programFile('03-async', 'chat-ws-client'), {
    args: ['--nick', 'CAROL', '--url', `ws://127.0.0.1:${web.port}/chat`],
  });
  expect(twin).toMatchObject({ exitCode: 1, stdout: '', stderr: 'error: the nickname CAROL is taken\n' });
  carol.close();
});
