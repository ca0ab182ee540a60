/**
 * The room across two chat-server nodes behind HAProxy (examples/03-async/balancer/haproxy.cfg), as its members meet
 * it: through the balancer's terminal door, and with the real chat-client, which reconnects by itself when its
 * node is killed and is back in the room, on the other node, once the room has let the dead node's members go.
 */
import { type Balancer, startBalancer } from '@netprog/shared/balancer';
import { LineClient } from '@netprog/shared/line-client';
import { firstToPrint, type Program, type Server, spawnProgram, startServer } from '@netprog/shared/program';
import { programFile } from '@netprog/shared/programs';
import { type RedisServer, startRedis } from '@netprog/shared/redis-server';
import { afterEach, describe, expect, it } from 'vitest';
import { expectCleanStop } from '../../support/checks.ts';
import { hasHaproxy, hasRedis, noHaproxy, noRedis } from '../../support/tools.ts';

const chatServer = programFile('03-async', 'chat-server');
const chatClient = programFile('03-async', 'chat-client');
const missing = [hasRedis ? '' : noRedis, hasHaproxy ? '' : noHaproxy].filter(Boolean).join('; ');

if (missing && process.env.CI) it('runs the balancer specs', () => expect.fail(missing));

describe.skipIf(missing !== '')(`behind HAProxy${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let redis: RedisServer | undefined;
  let balancer: Balancer | undefined;
  let nodes: Server[] = [];
  let clients: LineClient[] = [];
  let programs: Program[] = [];
  afterEach(async () => {
    for (const client of clients) client.close();
    for (const program of programs) if (program.isRunning()) program.kill();
    try {
      await balancer?.close();
      for (const node of nodes.filter((node) => node.isRunning())) await expectCleanStop(node);
    } finally {
      // Even when a node did not stop cleanly, Redis and its directory go.
      for (const node of nodes) if (node.isRunning()) node.kill();
      await redis?.close();
      [redis, balancer, nodes, clients, programs] = [undefined, undefined, [], [], []];
    }
  });

  /** Redis, two nodes sharing the room through it, and HAProxy in front. */
  async function room(nodeArgs: string[] = []): Promise<{ balancer: Balancer; nodes: Server[] }> {
    redis = await startRedis();
    for (let i = 0; i < 2; i++)
      nodes.push(await startServer(chatServer, { args: ['--redis', redis.url, ...nodeArgs] }));
    balancer = await startBalancer({ nodes: nodes.map((node) => `127.0.0.1:${node.port}`), webs: [] });
    return { balancer, nodes };
  }
  async function join(port: number, nick: string): Promise<LineClient> {
    const client = await LineClient.open(port);
    clients.push(client);
    client.send(nick);
    await client.waitFor(new RegExp(`^welcome ${nick}!`));
    return client;
  }
  /** The node a member is on: the one that logs its join (a log line may come after the member's welcome). */
  const nodeOf = (nick: string) => firstToPrint(nodes, new RegExp(`^${nick} joined$`));

  it('two members on two nodes chat through the balancer, every line once and in order', async () => {
    const { balancer } = await room();
    const alice = await join(balancer.terminalPort, 'alice');
    const bob = await join(balancer.terminalPort, 'bob');
    // leastconn: the second member goes to the node with fewer members, so the room spans both nodes.
    expect(await nodeOf('alice')).not.toBe(await nodeOf('bob'));
    expect(bob.lines[0]).toBe('welcome bob! here: alice');
    const texts = Array.from({ length: 100 }, (_, i) => `line ${i + 1}`);
    alice.socket.write(texts.map((text) => `${text}\n`).join(''));
    await bob.waitFor(/^alice: line 100$/);
    expect(bob.lines.filter((line) => line.startsWith('alice: '))).toEqual(texts.map((text) => `alice: ${text}`));
  });

  it('chat-client comes back through the balancer when its node is killed, and says so', async () => {
    const { balancer } = await room(['--redis-lease', '2000']);
    const bob = await join(balancer.terminalPort, 'bob');
    const args = ['--nick', 'alice', '--port', String(balancer.terminalPort)];
    const alice = spawnProgram(chatClient, { args, openStdin: true });
    programs.push(alice);
    await alice.waitForLine(/^welcome alice! here: bob$/);
    await bob.waitFor(/^\* alice joined$/);
    const dead = await nodeOf('alice');
    const alive = await nodeOf('bob');
    expect(dead).not.toBe(alive);

    dead.kill();
    const from = alice.stdoutLines.length;
    await alice.waitForLine(/^\* connection lost.*; reconnecting in \d+\.\d s$/, { from });
    // Back in once the room has let the dead node's alice go (its lease, 2 s here): the welcome lists bob.
    await alice.waitForLine(/^welcome alice! here: bob$/, { from, timeoutMs: 20_000 });
    // alice's welcome comes straight from her new node; bob hears of her join through the room, a moment later.
    await bob.waitFor(/^\* alice joined$/, { from: 2 });
    expect(bob.lines.slice(2)).toEqual(['* alice left (their server stopped answering)', '* alice joined']);
    await alive.waitForLine(/^alice joined$/);
    alice.stdin?.write('back again\n');
    expect(await bob.waitFor(/^alice: /)).toBe('alice: back again');
    // Every line between losing the node and the welcome is one the client wrote about reconnecting.
    const between = alice.stdoutLines.slice(from, -1);
    for (const line of between)
      expect(line).toMatch(/^\* (connection lost|not back in yet|the nickname alice is taken)/);
    alice.stdin?.end();
    const result = await alice.exited;
    expect([result.exitCode, alice.stdoutLines.at(-1), result.stderr]).toEqual([0, 'bye alice', '']);
  });

  it('with --no-reconnect, chat-client exits when its node goes', async () => {
    const { balancer } = await room();
    const args = ['--nick', 'alice', '--port', String(balancer.terminalPort), '--no-reconnect'];
    const alice = spawnProgram(chatClient, { args, openStdin: true });
    programs.push(alice);
    await alice.waitForLine(/^welcome alice!/);
    await expectCleanStop(await nodeOf('alice'));
    const result = await alice.exited;
    expect([result.exitCode, result.stdout.split('\n').slice(1)]).toEqual([0, ['* server shutting down', '']]);
  });
});
