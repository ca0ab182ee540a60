/**
 * 03-async on stage: the event loop's order, a slow echo server answering requests one after
 * another, all at once and a few at a time, and a chat between nc, chat-client and, through the
 * web door (chat-web), a WebSocket client; then the same room on two nodes behind HAProxy, one of
 * which stops while its member's chat-client finds its way back.
 */
import { startBalancer } from '../../balancer.ts';
import { startRedis } from '../../redis-server.ts';
import type { Scenario, Scene } from '../scene.ts';

export const asyncScenario: Scenario = {
  area: '03-async',
  title: 'Asynchronous I/O',
  async play(scene) {
    scene.replace(/ran after \d+ ms/g, 'ran after <ms> ms');
    scene.replace(/ failed in \d+ ms/g, ' failed in <ms> ms');

    await scene.run('event-loop');

    const echo = await scene.start('async-echo-server', 8070, {
      args: ['--delay', '200'],
    });
    const port = ['--port', String(echo.server.port)];
    const result = await scene.run('concurrent-client', {
      args: [...port, '--requests', '10', '--limit', '5'],
    });
    const times = new Map(
      [...result.stdout.matchAll(/^(.+): \d+ ok, .* in (\d+) ms$/gm)].map(([, way, ms]) => [way, Number(ms)]),
    );
    const speedup = (times.get('sequential') ?? 0) / (times.get('all at once') ?? Number.POSITIVE_INFINITY);
    scene.note(`all at once was ${speedup >= 4 ? 'at least' : 'less than'} 4 times faster than one after another`);
    // The client is done when it has its answers; the server may log the last closes a moment later.
    const closed = () => echo.server.stdoutLines.filter((line) => line.startsWith('closed ')).length;
    await echo.server.waitFor('30 closed connections', () => (closed() === 30 ? true : undefined));
    await scene.stop(echo, { hide: /^(connected|closed) / });

    const chat = await scene.start('chat-server', 8071);
    const bob = await scene.nc(chat);
    bob.type('bob');
    await bob.showUntil(/^welcome bob!/);
    await scene.run('chat-client', {
      args: ['--port', String(chat.server.port), '--nick', 'alice'],
      input: 'hi bob\n',
    });
    await bob.showUntil(/^\* alice left$/);

    // The web door: the same room, reached over WebSocket (a browser page, or this terminal client).
    const web = await scene.start('chat-web', 8072, { args: ['--room-port', String(chat.server.port)] });
    await scene.run('chat-ws-client', {
      args: ['--nick', 'dave', '--url', `ws://127.0.0.1:${web.server.port}/chat`],
      input: 'hi from a WebSocket\n',
    });
    await bob.showUntil(/^\* dave left$/);
    // The room can tell bob before the gateway has finished closing dave's WebSocket.
    await scene.waitFor(web, /^closed /);
    await scene.stop(web);
    bob.type('/quit');
    await bob.showUntil(/^bye bob$/);
    await scene.stop(chat);

    await acrossNodes(scene);
  },
};

/**
 * One room across two chat-server nodes: Redis holds the room, HAProxy spreads the members over the nodes. Then a
 * node stops, and its member's chat-client comes back in through the balancer, on the other node.
 */
async function acrossNodes(scene: Scene): Promise<void> {
  const redis = await startRedis();
  const shownSocket = '/tmp/chat-redis.sock';
  scene.replace(redis.socketPath, shownSocket);
  scene.replace(/reconnecting in \d+\.\d s/g, 'reconnecting in <n> s');
  scene.note('one room across two nodes: Redis holds it, HAProxy spreads the members over the nodes');
  scene.outside('redis-server', `redis-server --port 0 --unixsocket ${shownSocket} --save ''`);
  try {
    const room = ['--redis', redis.url];
    const node1 = await scene.start('chat-server', 8071, { args: room });
    const node2 = await scene.start('chat-server', 8073, { args: room, showPort: true });
    const balancer = await startBalancer({
      nodes: [node1, node2].map(({ server }) => `127.0.0.1:${server.port}`),
      webs: [],
    });
    scene.showPortAs(balancer.terminalPort, 8061);
    scene.outside('haproxy', 'haproxy -f examples/03-async/balancer/haproxy.cfg -db');
    try {
      const bob = await scene.nc(balancer.terminalPort);
      bob.type('bob');
      await bob.showUntil(/^welcome bob!/);
      await scene.waitFor(node1, /^bob joined$/);
      const alice = await scene.background('chat-client', {
        args: ['--port', String(balancer.terminalPort), '--nick', 'alice'],
        openStdin: true,
      });
      await scene.waitFor(node2, /^alice joined$/);
      await bob.showUntil(/^\* alice joined$/);
      bob.type('hi alice, on the other node');
      await scene.waitFor(alice, /^bob: hi alice/);

      // Whether the nickname is free again by the first retry depends on timing: those lines are left out.
      scene.omit(/^\* (the nickname alice is taken|not back in yet)/);
      scene.note("alice's node stops; her chat-client comes back in through the balancer, on the other node");
      await scene.stop(node2);
      await scene.waitFor(alice, /^welcome alice! here: bob$/);
      await bob.showUntil(/^\* alice joined$/);
      await scene.waitFor(node1, /^alice joined$/);
      await scene.finish(alice);
      await bob.showUntil(/^\* alice left$/);
      bob.type('/quit');
      await bob.showUntil(/^bye bob$/);
      await scene.stop(node1);
    } finally {
      await balancer.close();
    }
  } finally {
    await redis.close();
  }
}
