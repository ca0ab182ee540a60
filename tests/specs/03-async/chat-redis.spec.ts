/**
 * chat-server --redis: several nodes, one room, through a real redis-server (on a private Unix socket) and each fault
 * the README lists, counted exactly: every line sent is received once, in order, or refused to its sender's face.
 */

import { type CutProxy, cutProxy } from '@netprog/shared/cut-proxy';
import { LineClient } from '@netprog/shared/line-client';
import { runProgram, type Server, startServer } from '@netprog/shared/program';
import { programFile } from '@netprog/shared/programs';
import { type RedisServer, startRedis } from '@netprog/shared/redis-server';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { expectCleanStop } from '../../support/checks.ts';
import { hasRedis, noRedis } from '../../support/tools.ts';

const chatServer = programFile('03-async', 'chat-server');

it('says why in one line and exits 1 when Redis cannot be reached at start', async () => {
  const result = await runProgram(chatServer, { args: ['--port', '0', '--redis', 'unix:/nonexistent/redis.sock'] });
  expect(result.exitCode).toBe(1);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(/^error: cannot reach Redis at unix:\/nonexistent\/redis\.sock: .*ENOENT.*\n$/);
});

if (!hasRedis && process.env.CI) it('runs the Redis specs', () => expect.fail(noRedis));

describe.skipIf(!hasRedis)(`one room across nodes${hasRedis ? '' : ` (skipped: ${noRedis})`}`, () => {
  let redis: RedisServer | undefined;
  let proxy: CutProxy | undefined;
  let nodes: Server[] = [];
  let clients: LineClient[] = [];
  afterEach(async () => {
    for (const client of clients) client.close();
    try {
      for (const node of nodes.filter((node) => node.isRunning())) await expectCleanStop(node);
    } finally {
      // Even when a node did not stop cleanly, Redis and its directory go.
      for (const node of nodes) if (node.isRunning()) node.kill();
      await proxy?.close();
      await redis?.close();
      [redis, proxy, nodes, clients] = [undefined, undefined, [], []];
    }
  });

  async function node(url = redis?.url ?? '', args: string[] = []): Promise<Server> {
    const server = await startServer(chatServer, { args: ['--redis', url, ...args] });
    nodes.push(server);
    return server;
  }
  async function join(server: Server, nick: string): Promise<LineClient> {
    const client = await LineClient.open(server.port);
    clients.push(client);
    client.send(nick);
    await client.waitFor(new RegExp(`^welcome ${nick}!`));
    return client;
  }
  const said = (client: LineClient, from = 0) => client.lines.slice(from).filter((line) => /^\w+: /.test(line));
  const texts = (count: number, first = 1) => Array.from({ length: count }, (_, i) => `line ${first + i}`);
  const numbered = (nick: string, count: number, first = 1) => texts(count, first).map((text) => `${nick}: ${text}`);
  function sendNumbered(client: LineClient, count: number, first = 1): void {
    client.socket.write(
      texts(count, first)
        .map((text) => `${text}\n`)
        .join(''),
    );
  }

  it('two nodes are one room: every line reaches every member once, in one order', async () => {
    redis = await startRedis();
    const [a, b] = [await node(), await node()];
    const alice = await join(a, 'alice');
    const bob = await join(b, 'bob');
    const carol = await join(a, 'carol');
    const dave = await join(b, 'dave');
    // The member list and the notices are the room's, whichever node a member is on.
    expect(carol.lines[0]).toBe('welcome carol! here: alice, bob');
    expect(dave.lines[0]).toBe('welcome dave! here: alice, bob, carol');
    await alice.waitFor(/^\* dave joined$/);
    expect(alice.lines.slice(1)).toEqual(['* bob joined', '* carol joined', '* dave joined']);

    sendNumbered(alice, 200);
    sendNumbered(bob, 200);
    for (const watcher of [carol, dave]) {
      await watcher.waitFor(/^alice: line 200$/);
      await watcher.waitFor(/^bob: line 200$/);
    }
    await bob.waitFor(/^alice: line 200$/);
    await alice.waitFor(/^bob: line 200$/);
    // One order: both watchers, on two nodes, saw the same 400 lines in the same sequence.
    expect(said(carol)).toHaveLength(400);
    expect(said(dave)).toEqual(said(carol));
    expect(said(carol).filter((line) => line.startsWith('alice:'))).toEqual(numbered('alice', 200));
    expect(said(carol).filter((line) => line.startsWith('bob:'))).toEqual(numbered('bob', 200));
    expect(said(alice)).toEqual(numbered('bob', 200));
    expect(said(bob)).toEqual(numbered('alice', 200));
  });

  it('keeps nicknames unique across nodes and announces a leave on every node', async () => {
    redis = await startRedis();
    const [a, b] = [await node(), await node()];
    const alice = await join(a, 'alice');
    const carol = await join(b, 'carol');
    const twin = await LineClient.open(b.port);
    twin.send('ALICE');
    await twin.waitForClose();
    expect(twin.lines).toEqual(['error: the nickname ALICE is taken']);
    alice.send('/quit');
    await carol.waitFor(/^\* alice left$/);
    const again = await join(b, 'Alice');
    expect(again.lines[0]).toBe('welcome Alice! here: carol');
    await carol.waitFor(/^\* Alice joined$/);
    again.socket.end();
    expect(await carol.waitFor(/^\* Alice left/)).toBe('* Alice left (connection closed)');
  });

  it("announces a killed node's members as gone once its lease runs out", async () => {
    redis = await startRedis();
    const [a, b] = [await node(redis.url, ['--redis-lease', '1000']), await node(redis.url, ['--redis-lease', '1000'])];
    await join(a, 'alice');
    const bob = await join(b, 'bob');
    a.kill();
    await a.exited;
    expect(await bob.waitFor(/^\* alice /, { from: 1 })).toBe('* alice left (their server stopped answering)');
    // The nickname is free again, on the node that is left.
    await join(b, 'alice');
  });

  it('refuses an entry in the stream that is not a room event, and counts it', async () => {
    redis = await startRedis();
    const a = await node();
    const alice = await join(a, 'alice');
    const xadd = (...fields: string[]) =>
      execa('redis-cli', ['-s', redis?.socketPath ?? '', 'XADD', 'chat:log', '*', ...fields]);
    await xadd('kind', 'say', 'nick', 'not a nick!', 'text', 'hi');
    await xadd('kind', 'shout', 'nick', 'mallory', 'text', 'hi');
    // A well-formed entry from outside is relayed like any line, with its control characters escaped.
    await xadd('kind', 'say', 'nick', 'mallory', 'text', 'hi\u001b[2J');
    expect(await alice.waitFor(/^mallory: /)).toBe('mallory: hi\\x1b[2J');
    expect(said(alice)).toEqual(['mallory: hi\\x1b[2J']);
    // The node's stderr is a pipe of its own, which may be read after alice's socket.
    await a.waitFor('the second drop counted', () => (a.stderr.includes('(2 so far)\n') ? true : undefined));
    expect(a.stderr).toMatch(
      /^dropped a malformed room entry \d+-\d+ \(1 so far\)\ndropped a malformed room entry \d+-\d+ \(2 so far\)\n$/,
    );
  });

  it('a node cut off from Redis says so, then delivers what it missed, in order, once', async () => {
    redis = await startRedis();
    proxy = await cutProxy({ path: redis.socketPath });
    const [a, b] = [await node(`redis://127.0.0.1:${proxy.port}`), await node()];
    const alice = await join(a, 'alice');
    const bob = await join(b, 'bob');
    const dave = await join(b, 'dave');
    sendNumbered(bob, 5);
    await alice.waitFor(/^bob: line 5$/);

    proxy.cut();
    const lost = alice.lines.length;
    // The bound (--redis-timeout plus the 1 s a read blocks, about 2 s) is the README's; here, within the wait's 10 s.
    await alice.waitFor(/^\* link to the room lost$/, { from: lost });
    alice.send('from the dark');
    expect(await alice.waitFor(/^\* not sent: /, { from: lost })).toBe('* not sent: no link to the room');
    sendNumbered(bob, 20, 6);
    await dave.waitFor(/^bob: line 25$/);
    proxy.restore();

    await alice.waitFor(/^bob: line 25$/, { from: lost });
    const after = alice.lines.slice(lost);
    expect(after.filter((line) => line.startsWith('*'))).toEqual([
      '* link to the room lost',
      '* not sent: no link to the room',
      '* link restored',
    ]);
    expect(after.indexOf('* link restored')).toBeLessThan(after.indexOf('bob: line 6'));
    expect(said(alice)).toEqual(numbered('bob', 25));
    expect(said(dave)).toEqual(numbered('bob', 25)); // "from the dark" was refused, not half-sent
    // The member stayed in the room all along: the outage was shorter than the lease.
    expect(bob.lines.filter((line) => line.startsWith('* alice'))).toEqual([]);
  });

  // The contrast the README draws: the same broken link (every connection reset until it is restored), with
  // chat-server reading a stream, and with --redis-pubsub, the publish/subscribe variant most chat examples use.
  it.each([
    ['the stream delivers all 20 lines sent meanwhile', [], 20],
    ['publish/subscribe loses all 20 lines sent meanwhile', ['--redis-pubsub'], 0],
  ] as const)('through a broken link, %s', async (_, args, delivered) => {
    redis = await startRedis();
    proxy = await cutProxy({ path: redis.socketPath });
    const [a, b] = [await node(`redis://127.0.0.1:${proxy.port}`, [...args]), await node(redis.url, [...args])];
    const alice = await join(a, 'alice');
    const bob = await join(b, 'bob');
    const dave = await join(b, 'dave');
    proxy.cut({ reset: true });
    await alice.waitFor(/^\* link to the room lost$/);
    sendNumbered(bob, 20);
    await dave.waitFor(/^bob: line 20$/);
    // Long enough for node-redis's reconnect backoff to grow past a second (and past the reader's quicker retries).
    await proxy.resets(10);
    proxy.restore();
    await alice.waitFor(/^\* link restored$/);
    // Restored means usable: a member can join the cut node at once.
    await join(a, 'carol');
    bob.send('after the link came back');
    await alice.waitFor(/^bob: after the link came back$/);
    await dave.waitFor(/^bob: after the link came back$/);
    expect(said(alice)).toEqual([...numbered('bob', delivered), 'bob: after the link came back']);
    expect(said(dave)).toEqual([...numbered('bob', 20), 'bob: after the link came back']);
  });

  it('with persistence on, a Redis restart loses nothing and keeps the members', async () => {
    redis = await startRedis({ persist: true });
    const [a, b] = [await node(), await node()];
    const alice = await join(a, 'alice');
    const bob = await join(b, 'bob');
    sendNumbered(alice, 20);
    await bob.waitFor(/^alice: line 20$/);
    const before = alice.lines.length;
    await redis.restart({ kill: true });
    await alice.waitFor(/^\* link restored$/, { from: before });
    await bob.waitFor(/^\* link restored$/, { from: before });
    sendNumbered(alice, 20, 21);
    await bob.waitFor(/^alice: line 40$/);
    expect(said(bob)).toEqual(numbered('alice', 40));
    const twin = await LineClient.open(b.port);
    twin.send('alice');
    await twin.waitForClose();
    expect(twin.lines).toEqual(['error: the nickname alice is taken']);
  });

  it('Redis away for everyone for longer than the lease: nobody is let go when it is back', async () => {
    redis = await startRedis({ persist: true });
    // A lease long enough for every node to be back from its own reconnect backoff on a loaded machine.
    const lease = ['--redis-lease', '2500'];
    const [a, b] = [await node(redis.url, lease), await node(redis.url, lease)];
    const alice = await join(a, 'alice');
    const bob = await join(b, 'bob');
    const before = alice.lines.length;
    await redis.restart({ downMs: 3000 });
    await alice.waitFor(/^\* link restored$/, { from: before });
    await bob.waitFor(/^\* link restored$/, { from: before });
    alice.send('still here');
    await bob.waitFor(/^alice: still here$/);
    bob.send('me too');
    await alice.waitFor(/^bob: me too$/);
    const carol = await join(b, 'carol');
    expect(carol.lines[0]).toBe('welcome carol! here: alice, bob');
    expect([...alice.lines, ...bob.lines].filter((line) => / left|let you go|no longer counts/.test(line))).toEqual([]);
  });

  it('with persistence off, a Redis restart tells each member the room forgot them', async () => {
    redis = await startRedis();
    const a = await node();
    const alice = await join(a, 'alice');
    await redis.restart();
    await alice.waitForClose(15_000);
    expect(alice.lines.at(-1)).toMatch(/^\* the room no longer counts you \(.*\); join again$/);
    await join(a, 'alice');
  });
});
