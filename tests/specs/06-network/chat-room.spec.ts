/**
 * The chat room across machines, in the lab's chat-room topology: HAProxy on lb, chat-server nodes on n1 and n2,
 * redis-server on db, the members' chat-clients on c. A partition between a node and Redis is a real firewall rule
 * (`lab fault n1 cut db`): the node's members see the link go and come back, then every line they missed, in order.
 */
import { balancerConfig } from '@netprog/shared/balancer';
import { firstToPrint, type Program, type Server } from '@netprog/shared/program';
import { programFile } from '@netprog/shared/programs';
import { afterEach, expect, it } from 'vitest';
import { expectCleanStop } from '../../support/checks.ts';
import { describeLab, labFor } from '../../support/lab.ts';
import { hasHaproxy, hasRedis, noHaproxy, noRedis } from '../../support/tools.ts';

const chatServer = programFile('03-async', 'chat-server');
const chatClient = programFile('03-async', 'chat-client');
const missing = [hasRedis ? '' : noRedis, hasHaproxy ? '' : noHaproxy].filter(Boolean).join('; ');
if (missing && process.env.CI) it('runs the chat room across machines', () => expect.fail(missing));

describeLab('the chat room across machines', () => {
  let programs: Program[] = [];
  afterEach(async () => {
    for (const program of programs.reverse()) if (program.isRunning()) await program.stop();
    programs = [];
  });

  it.skipIf(missing !== '')(
    'members on c chat through lb across n1 and n2; a node cut off from db catches up',
    async () => {
      const lab = await labFor('chat-room');
      // Redis on its own host, reachable across the lab's switch (its hosts exist only inside this run).
      const redis = lab.spawnCommand('db', [
        'redis-server',
        '--port',
        '6379',
        '--bind',
        '0.0.0.0',
        '--protected-mode',
        'no',
        '--save',
        '',
      ]);
      programs.push(redis);
      await redis.waitForLine(/ready to accept connections/i);
      const room = ['--host', '0.0.0.0', '--redis', 'redis://10.0.1.13:6379'];
      const nodes: Record<string, Server> = {};
      for (const host of ['n1', 'n2'])
        nodes[host] = await lab.startServer(host, chatServer, room, { defaultPort: true });
      const doors = { CHAT_TCP_DOOR: '0.0.0.0:8061', CHAT_WEB_DOOR: '0.0.0.0:8062' };
      const servers = { CHAT_NODE_1: '10.0.1.11:8071', CHAT_NODE_2: '10.0.1.12:8071' };
      const balancer = lab.spawnCommand('lb', ['haproxy', '-f', balancerConfig, '-db', '-V'], { ...doors, ...servers });
      programs.push(balancer, ...Object.values(nodes));
      // -V prints the polling mechanism once the doors are bound, just before HAProxy starts serving.
      await balancer.waitFor('HAProxy serving', () =>
        /Using \w+\(\) as the polling/.test(balancer.stdout + balancer.stderr) ? true : undefined,
      );

      const member = (nick: string, at = ['--host', '10.0.1.10', '--port', '8061']) => {
        const client = lab.spawn('c', chatClient, [...at, '--nick', nick], { openStdin: true });
        programs.push(client);
        return client;
      };
      const alice = member('alice');
      await alice.waitForLine(/^welcome alice!/);
      const bob = member('bob');
      await bob.waitForLine(/^welcome bob! here: alice$/);
      const hostOf = new Map(Object.entries(nodes).map(([host, node]) => [node, host]));
      const nodeOf = async (nick: string) =>
        hostOf.get(await firstToPrint(Object.values(nodes), new RegExp(`^${nick} joined$`))) ?? '';
      const [aliceAt, bobAt] = [await nodeOf('alice'), await nodeOf('bob')];
      expect(aliceAt).not.toBe(bobAt); // leastconn: one member on each machine
      // dave watches on bob's node directly, to know when bob's lines are in the room.
      const dave = member('dave', ['--host', bobAt === 'n1' ? '10.0.1.11' : '10.0.1.12', '--port', '8071']);
      await dave.waitForLine(/^welcome dave!/);

      // The partition: alice's node drops everything from db, in silence.
      expect((await lab.lab('fault', aliceAt, 'cut', 'db')).stdout).toBe(`${aliceAt}: cut db\n`);
      const from = alice.stdoutLines.length;
      await alice.waitForLine(/^\* link to the room lost$/, { from });
      const texts = Array.from({ length: 5 }, (_, i) => `missed ${i + 1}`);
      bob.stdin?.write(texts.map((text) => `${text}\n`).join(''));
      await dave.waitForLine(/^bob: missed 5$/);
      const status = (await lab.lab('status')).stdout;
      expect(status).toMatch(/-s 10\.0\.1\.13\/32 -j DROP \([1-9]\d* matched\)/);
      expect((await lab.lab('clear', aliceAt)).stdout).toBe(`${aliceAt}: faults cleared\n`);

      await alice.waitForLine(/^bob: missed 5$/, { from, timeoutMs: 15_000 });
      expect(alice.stdoutLines.slice(from)).toEqual([
        '* link to the room lost',
        '* link restored',
        ...texts.map((text) => `bob: ${text}`),
      ]);
      for (const client of [alice, bob, dave]) client.stdin?.end();
      for (const client of [alice, bob, dave]) expect((await client.exited).exitCode).toBe(0);
      for (const node of Object.values(nodes)) await expectCleanStop(node);
    },
  );
});
