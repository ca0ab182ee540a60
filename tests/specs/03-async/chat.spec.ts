import net from 'node:net';
import { LineClient } from '@netprog/shared/line-client';
import { residentBytes } from '@netprog/shared/proc';
import { runProgram, type Server, startServer } from '@netprog/shared/program';
import { programFile } from '@netprog/shared/programs';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { expectCleanStop } from '../../support/checks.ts';
import { closedTcpPort } from '../../support/peers.ts';

const chatServer = programFile('03-async', 'chat-server');
const chatClient = programFile('03-async', 'chat-client');
let server: Server;
beforeEach(async () => {
  server = await startServer(chatServer);
});
afterEach(async () => {
  await expectCleanStop(server);
});

async function join(nick: string): Promise<LineClient> {
  const client = await LineClient.open(server.port);
  client.send(nick);
  await client.waitFor(new RegExp(`^welcome ${nick}!`));
  return client;
}

it("a message reaches the others with the sender's nickname, and not the sender", async () => {
  const alice = await join('alice');
  const bob = await join('bob');
  const carol = await join('carol');
  await alice.waitFor(/^\* carol joined$/);
  await bob.waitFor(/^\* carol joined$/);
  alice.send('hello, room');
  expect(await bob.waitFor(/^alice: /)).toBe('alice: hello, room');
  expect(await carol.waitFor(/^alice: /)).toBe('alice: hello, room');
  carol.send('marker');
  await alice.waitFor(/^carol: marker$/);
  expect(alice.lines.filter((line) => line.startsWith('alice:'))).toEqual([]);
  for (const client of [alice, bob, carol]) client.close();
});

it('refuses a duplicate nickname (in any case) and an invalid one', async () => {
  const alice = await join('alice');
  const twin = await LineClient.open(server.port);
  twin.send('ALICE');
  await twin.waitForClose();
  expect(twin.lines).toEqual(['error: the nickname ALICE is taken']);
  const bad = await LineClient.open(server.port);
  bad.send('no spaces please');
  await bad.waitForClose();
  expect(bad.lines).toEqual(['error: a nickname is 1 to 20 letters, digits, _ or -']);
  alice.close();
});

it('/quit and a dropped connection both tell the others', async () => {
  const alice = await join('alice');
  const bob = await join('bob');
  const carol = await join('carol');
  bob.send('/quit');
  await bob.waitForClose();
  expect(bob.lines.at(-1)).toBe('bye bob');
  expect(await alice.waitFor(/^\* bob (?!joined)/)).toBe('* bob left');
  carol.socket.resetAndDestroy();
  expect(await alice.waitFor(/^\* carol (?!joined)/)).toBe('* carol left (connection closed)');
  alice.close();
});

it('drops a client that never reads while another sends 40 MiB; the others get everything', async () => {
  await expectCleanStop(server);
  server = await startServer(chatServer, { args: ['--slow-reader-timeout', '1000'] });
  const sender = await join('sender');
  const readers = [await join('reader1'), await join('reader2')];
  const stuck = await join('stuck');
  stuck.socket.pause(); // joined, then never reads again
  await readers[1]?.waitFor(/^\* stuck joined$/);

  const line = 'x'.repeat(1000);
  const count = 42_000; // about 40 MiB
  let peakRss = residentBytes(server.pid);
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, residentBytes(server.pid));
  }, 50);
  try {
    for (let sent = 0; sent < count; sent += 1000) {
      const batch = Array.from({ length: 1000 }, (_, i) => `${sent + i} ${line}\n`).join('');
      if (!sender.socket.write(batch)) await new Promise((resolve) => sender.socket.once('drain', resolve));
    }
    sender.send('/quit');
    for (const reader of readers) await reader.waitFor(/^\* sender left$/, { timeoutMs: 60_000 });
  } finally {
    clearInterval(sampler);
  }

  for (const reader of readers) {
    const messages = reader.lines.filter((received) => received.startsWith('sender: '));
    expect(messages.length).toBe(count);
    expect(messages.at(-1)).toBe(`sender: ${count - 1} ${line}`);
    expect(reader.lines).toContain('* stuck was dropped (not reading: nothing read for 1000 ms)');
  }
  expect(peakRss).toBeLessThan(200 * 1024 * 1024);
  for (const client of [...readers, stuck]) client.close();
});

it('tells everyone when the server shuts down', async () => {
  const alice = await join('alice');
  const result = await server.stop();
  await alice.waitForClose();
  expect(alice.lines.at(-1)).toBe('* server shutting down');
  expect(result).toMatchObject({ exitCode: 0, killed: false });
});

it('chat-client sends its nickname and its stdin lines, prints the room, and leaves at end of input', async () => {
  const bob = await join('bob');
  const result = await runProgram(chatClient, {
    args: ['--port', String(server.port), '--nick', 'alice'],
    input: 'hi bob\n',
  });
  expect(result.exitCode).toBe(0);
  expect(result.stdout).toBe('welcome alice! here: bob\nbye alice\n');
  expect(await bob.waitFor(/^alice: /)).toBe('alice: hi bob');
  await bob.waitFor(/^\* alice left$/);

  const twin = await runProgram(chatClient, { args: ['--port', String(server.port), '--nick', 'bob'] });
  expect(twin.exitCode).toBe(1);
  expect(twin.stderr).toBe('error: the nickname bob is taken\n');
  bob.close();
});

it('chat-client says why in one line and exits 1 when nothing listens', async () => {
  const port = await closedTcpPort();
  const result = await runProgram(chatClient, { args: ['--port', String(port), '--nick', 'alice'], input: '' });
  expect([result.exitCode, result.stdout]).toEqual([1, '']);
  expect(result.stderr).toBe(`error: 127.0.0.1:${port}: connection refused, is the server running? (ECONNREFUSED)\n`);
});

it('chat-client reports a reset that comes after its input ended, and exits 1', async () => {
  // A peer that resets the connection once the client has sent /quit, that is once its input is known to be over.
  const peer = net.createServer((socket) => {
    let received = '';
    socket
      .on('error', () => {})
      .on('data', (chunk) => {
        received += chunk;
        if (received.includes('/quit\n')) socket.resetAndDestroy();
      });
  });
  await new Promise<void>((resolve) => peer.listen(0, '127.0.0.1', resolve));
  const { port } = peer.address() as net.AddressInfo;
  const result = await runProgram(chatClient, { args: ['--port', String(port), '--nick', 'alice'], input: '' });
  peer.close();
  expect([result.exitCode, result.stdout]).toEqual([1, '']);
  expect(result.stderr).toBe(`error: 127.0.0.1:${port}: connection reset by the peer (ECONNRESET)\n`);
});
