/**
 * game-server and game-client: bots that see each other, a game through a lossy relay that still
 * ends where the server says, what the server refuses and ignores, and the end of a game.
 */
import { GamePeer } from '@netprog/shared/game-peer';
import { type ProgramResult, runProgram, type Server, spawnProgram, startServer } from '@netprog/shared/program';
import { programFile } from '@netprog/shared/programs';
import { afterEach, expect, it } from 'vitest';
import { expectCleanStop } from '../../support/checks.ts';

const gameServer = programFile('05-udp', 'game-server');
const gameClient = programFile('05-udp', 'game-client');
const lossyRelay = programFile('05-udp', 'lossy-relay');
const stackTrace = /^\s+at /m;
// Tests announce on no port of the machine's: discovery has its own spec.
const quiet = ['--announce-every', '0'];

const peers: GamePeer[] = [];
afterEach(() => {
  for (const peer of peers.splice(0)) peer.close();
});
const peer = (server: Server) => {
  const made = new GamePeer(server.port);
  peers.push(made);
  return made;
};

const bot = (port: number, name: string, seed: number, moves = 40, extra: string[] = []) =>
  runProgram(gameClient, {
    args: ['--port', String(port), '--bot', '--name', name, '--seed', String(seed), '--moves', String(moves), ...extra],
  });

/** What a client says at the end: "final position X,Y after input N, score S; players seen: …". */
function finalOf(result: ProgramResult) {
  const match = /^final position (\d+),(\d+) after input (\d+), score (\d+); players seen: (.*)$/m.exec(result.stdout);
  if (!match) throw new Error(`no final position in ${JSON.stringify(result.stdout)} (stderr ${result.stderr})`);
  const [x, y, ack, score] = match.slice(1, 5).map(Number);
  return { x, y, ack, score, seen: (match[5] ?? '').split(', ').sort() };
}
/**
 * What the server says when a player leaves: "left NAME (WHY) at X,Y after input N, score S". It is
 * waited for: a client exits once its leave is sent, which can be before the server has read it.
 */
async function leftOf(server: Server, name: string) {
  const index = await server.waitForLine(new RegExp(`^left ${name} `));
  const line = server.stdoutLines[index] ?? '';
  const match = /^left \S+ \((.+)\) at (\d+),(\d+) after input (\d+), score (\d+)$/.exec(line);
  if (!match) throw server.failure(`did not say that ${name} left`);
  const [x, y, ack, score] = match.slice(2).map(Number);
  return { why: match[1], x, y, ack, score };
}
const ignoredCounts = (stdout: string) =>
  /ignored malformed (\d+), spoofed (\d+), stale (\d+), over rate (\d+)$/m.exec(stdout)?.slice(1).map(Number);

it('three bots play at once, see each other, and end where the server says they are', async () => {
  const server = await startServer(gameServer, { args: quiet });
  const results = await Promise.all(
    ['alice', 'bob', 'carol'].map((name, index) => bot(server.port, name, index + 1, 60)),
  );
  for (const [index, name] of ['alice', 'bob', 'carol'].entries()) {
    const result = results[index] as ProgramResult;
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^joined 127\.0\.0\.1:\d+ as player [123]; [123] in the game$/m);
    expect(result.stdout).toMatch(/^inputs 60 in \d+ datagrams, acknowledged up to 60$/m);
    const end = finalOf(result);
    expect(end.seen).toEqual(['alice', 'bob', 'carol']);
    expect(await leftOf(server, name)).toEqual({ why: 'quit', x: end.x, y: end.y, ack: 60, score: end.score });
  }
  await expectCleanStop(server);
  expect(ignoredCounts(server.stdout)?.slice(0, 2)).toEqual([0, 0]);
});

it('through 20 % loss with duplicates and reordering, every view converges to the server state', async () => {
  const server = await startServer(gameServer, { args: quiet });
  const relay = await startServer(lossyRelay, {
    args: ['--target-port', String(server.port), '--drop', '0.2', '--duplicate', '0.1', '--reorder', '0.1'],
  });
  const names = ['dora', 'eve', 'fred'];
  const results = await Promise.all(names.map((name, index) => bot(relay.port, name, 10 + index, 80)));
  let lostOrDuplicated = 0;
  for (const [index, name] of names.entries()) {
    const result = results[index] as ProgramResult;
    expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(0);
    const end = finalOf(result);
    // The client's last word and the server's agree on where it is and which input it got last.
    // (All three copies of a leave can be lost too, 0.8 % a client: then the server drops the
    // player once it has been silent for --idle-timeout, and says where it was just the same.)
    expect(await leftOf(server, name)).toMatchObject({ x: end.x, y: end.y, ack: 80, score: end.score });
    const counts = /^snapshots \d+: lost (\d+), out of order (\d+), duplicates (\d+)$/m.exec(result.stdout);
    lostOrDuplicated += Number(counts?.[1]) + Number(counts?.[3]);
  }
  expect(lostOrDuplicated).toBeGreaterThan(0); // the relay really misbehaved on the way back
  const relayEnd = (await relay.stop()).stdout;
  expect(Number(/dropped (\d+)/.exec(relayEnd)?.[1])).toBeGreaterThan(0);
  await expectCleanStop(server);
});

it('ignores and counts malformed, oversized, spoofed and stale datagrams, and keeps playing', async () => {
  const server = await startServer(gameServer, { args: quiet });
  const honest = peer(server);
  const { player, token } = await honest.join('honest');
  const forger = peer(server);
  await forger.send(Buffer.alloc(0));
  await forger.send(Buffer.from('NG hello'));
  await forger.send(Buffer.alloc(2000, 0x4e));
  await forger.send(Buffer.from([0x4e, 0x47, 1, 4, player, 0, 0, 0, 0, 0, 0, 0, 1, 9, 1])); // 9 moves > 8
  // The right player and token from another address, then the right address with a wrong token.
  await forger.send({ type: 'input', player, token, firstSequence: 2, moves: [4] });
  await honest.send({ type: 'input', player, token: token ^ 1, firstSequence: 2, moves: [4] });
  await honest.send({ type: 'input', player, token, firstSequence: 2, moves: [4, 4] });
  await honest.send({ type: 'input', player, token, firstSequence: 2, moves: [4] }); // repeated: stale
  const moved = await honest.next('snapshot', (snapshot) => snapshot.players.some((p) => p.ack === 3));
  expect(moved.players.find((p) => p.id === player)).toMatchObject({ x: 9, y: 7, ack: 3 });

  const result = await bot(server.port, 'after', 1, 5);
  expect(result.exitCode, result.stderr).toBe(0);
  // Its three leaves are sent together, so the server reads the copies with the first.
  await server.waitForLine(/^left after \(quit\) /);
  await expectCleanStop(server);
  // Stale: the repeated input, the second and third copies of the bot's leave, and each input the
  // bot sent again after its 5 moves while their acknowledgement was on its way (loopback loses none).
  const resent = Number(/^inputs 5 in (\d+) datagrams/m.exec(result.stdout)?.[1]) - 5;
  expect(ignoredCounts(server.stdout)).toEqual([4, 2, 3 + resent, 0]);
  expect(server.stdout).toMatch(/^ignored 2000 bytes from 127\.0\.0\.1:\d+ \(malformed\)$/m);
  expect(server.stdout).toMatch(/^\(further ignored datagrams are only counted\)$/m);
  expect(server.stderr).toBe('');
});

it('refuses a player past --max-players, and one of another protocol version, each with a reason', async () => {
  const server = await startServer(gameServer, { args: [...quiet, '--max-players', '1'] });
  await peer(server).join('first');
  const refused = await bot(server.port, 'second', 1, 5);
  expect(refused.exitCode).toBe(1);
  expect(refused.stderr).toBe(`error: refused by 127.0.0.1:${server.port}: server full (1 of 1 players)\n`);
  expect(refused.stdout).not.toMatch(/final position/);

  const future = peer(server);
  await future.send({ type: 'join', version: 2, name: 'future' });
  expect((await future.next('refused')).reason).toBe('version 2 unknown; this is 1');
  await expectCleanStop(server);
  expect(server.stdout).toMatch(/^refused 127\.0\.0\.1:\d+: server full \(1 of 1 players\)$/m);
});

it('caps moves per second per player, and a silent player leaves', async () => {
  const server = await startServer(gameServer, { args: [...quiet, '--input-rate', '5', '--idle-timeout', '500'] });
  const fast = peer(server);
  const { player, token } = await fast.join('fast');
  await fast.send({ type: 'input', player, token, firstSequence: 1, moves: [4, 4, 4, 4, 4, 4, 4, 4] });
  const snapshot = await fast.next('snapshot', (s) => s.players.some((p) => p.ack === 8));
  // Five moves allowed at once (the allowance starts full), the other three refused.
  expect(snapshot.players.find((p) => p.id === player)).toMatchObject({ x: 12, ack: 8 });
  await server.waitForLine(/^left fast \(silent for 500 ms\) at 12,7 after input 8, score \d+$/);
  await expectCleanStop(server);
  expect(ignoredCounts(server.stdout)).toEqual([0, 0, 0, 3]);
});

it('on SIGTERM tells every player the game is over; they print their counts and exit 0', async () => {
  const server = await startServer(gameServer, { args: quiet });
  const players = ['gus', 'hal'].map((name) =>
    spawnProgram(gameClient, { args: ['--port', String(server.port), '--bot', '--name', name, '--moves', '100000'] }),
  );
  // Each client says it has joined once the first snapshot came: then it is in the game.
  await Promise.all(
    players.map((client) => client.waitForLine(/^joined 127\.0\.0\.1:\d+ as player \d; \d in the game$/)),
  );
  await expectCleanStop(server);
  expect(server.stdout).toMatch(/^told 2 player\(s\) the game is over$/m);
  for (const client of players) {
    const result = await client.exited;
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^game over: server stopping$/m);
    expect(result.stdout).toMatch(/^final position \d+,\d+ after input \d+/m);
    expect(result.stderr).not.toMatch(stackTrace);
  }
});

it('a client with no server answering gives up after --timeout with one error line', async () => {
  const server = await startServer(gameServer, { args: quiet });
  const port = server.port;
  await expectCleanStop(server);
  const result = await bot(port, 'alone', 1, 5, ['--timeout', '500']);
  expect(result.exitCode).toBe(1);
  // Nothing listens, so loopback answers the join with "port unreachable" at once.
  expect(result.stderr).toMatch(
    new RegExp(
      `^error: (127\\.0\\.0\\.1:${port}: connection refused, is the server running\\? \\(ECONNREFUSED\\)|no answer from 127\\.0\\.0\\.1:${port} within 500 ms)\\n$`,
    ),
  );
});

it('without a terminal and without --bot, says it needs one', async () => {
  const result = await runProgram(gameClient); // it stops before it sends anything
  expect(result).toMatchObject({ exitCode: 1, stdout: '' });
  expect(result.stderr).toBe('error: game-client needs a terminal to play in; --bot plays without one\n');
});
