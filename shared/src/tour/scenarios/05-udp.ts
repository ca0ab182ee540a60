/**
 * 05-udp on stage: an echo over UDP, the same through a relay that loses, duplicates and
 * reorders datagrams, a heartbeat monitor noticing an agent come and go, and a short game of two
 * bots, one of which finds the server by multicast. Counts that depend on timing are shown as
 * placeholders; what must hold (every message answered, every move acknowledged) is not.
 */
import type { Scenario, Scene } from '../scene.ts';

export const udpScenario: Scenario = {
  area: '05-udp',
  title: 'Datagrams',
  async play(scene) {
    scene.replace(
      /sent \d+, answered (\d+), retried \d+, duplicates ignored \d+, late ignored \d+/g,
      'sent <n>, answered $1, retried <n>, duplicates ignored <n>, late ignored <n>',
    );
    scene.replace(
      /forwarded \d+, dropped \d+, duplicated \d+, delayed \d+/g,
      'forwarded <n>, dropped <n>, duplicated <n>, delayed <n>',
    );
    scene.replace(
      /received \d+ datagrams \(\d+ bytes\), answered \d+/g,
      'received <n> datagrams (<n> bytes), answered <n>',
    );
    scene.replace(/after \d+ heartbeats/g, 'after <n> heartbeats');

    scene.replace(/^from 127\.0\.0\.1:\d+:/gm, 'from 127.0.0.1:<port>:');
    scene.omit(/^last \d+ ms: \d+ datagrams/); // a summary every 10 s: a slow run has one, a fast one not
    // The echo through the lossy relay, the heartbeats and the game share nothing: they play at once.
    await scene.together(
      async (act) => {
        const server = await act.start('udp-server', 9090);
        const serverPort = String(server.server.port);
        await act.run('udp-client', { args: ['--port', serverPort, 'hello', 'world'] });

        const relayArgs = [
          '--target-port',
          serverPort,
          '--drop',
          '0.3',
          '--duplicate',
          '0.1',
          '--reorder',
          '0.1',
          '--seed',
          '42',
        ];
        const relay = await act.start('lossy-relay', 9091, {
          args: relayArgs,
        });
        await act.run('udp-client', {
          args: ['--port', String(relay.server.port), '--count', '10', '--timeout', '200', '--attempts', '10'],
        });
        await act.stop(relay);
        await act.stop(server);
      },
      async (act) => {
        const monitor = await act.start('heartbeat-monitor', 9092, {
          args: ['--interval', '200'],
        });
        const agent = await act.background('heartbeat-agent', {
          args: ['--name', 'web-1', '--interval', '200', '--port', String(monitor.server.port)],
        });
        await act.waitFor(monitor, /^up web-1/);
        await act.stop(agent);
        await act.waitFor(monitor, /^down web-1/);
        await act.stop(monitor);
      },
      playGame,
    );
  },
};

/**
 * The game: ann looks for a game on the local network (on a port of its own here, which the
 * server is told; a learner's two terminals both use the default 9094), finds the server's first
 * announcement and plays; bob joins by address. Their walks are seeded, so where they end is not
 * a placeholder; scores are, since the server drops the coin at random. ann walks 100 moves (5 s),
 * so it is still in the game when bob, who starts later and walks 40, has come and gone.
 */
async function playGame(scene: Scene): Promise<void> {
  scene.replace(/239\.255\.77\.77:\d+ and 127\.255\.255\.255:\d+/g, '239.255.77.77:9094 and 127.255.255.255:9094');
  scene.replace(/(to 239\.255\.77\.77):\d+/g, '$1:9094');
  scene.replace(/in \d+ datagrams/g, 'in <n> datagrams');
  scene.replace(
    /snapshots \d+: lost \d+, out of order \d+, duplicates \d+/g,
    'snapshots <n>: lost <n>, out of order <n>, duplicates <n>',
  );
  scene.replace(/score \d+/g, 'score <n>');
  scene.replace(
    /^ticks \d+ \(late \d+, longest [\d.]+ ms\); (.*) stale \d+/gm,
    'ticks <n> (late <n>, longest <n> ms); $1 stale <n>',
  );
  const bot = (name: string, seed: number, moves: number) => [
    '--bot',
    '--seed',
    String(seed),
    '--moves',
    String(moves),
    '--name',
    name,
  ];
  // ann waits up to 10 s for an announcement: the server is started after it, and on a busy
  // machine its start-up alone can outlast the default 3 s.
  const annArgs = ['--discover', '--timeout', '10000', ...bot('ann', 3, 100)];
  // By hand both use the default discovery port; here a free one keeps runs apart.
  const ann = await scene.background('game-client', { args: annArgs, isolation: ['--discovery-port', '0'] });
  const discoveryPort = /:(\d+) and/.exec(ann.server.stdoutLines[0] ?? '')?.[1] ?? '';
  const server = await scene.start('game-server', 9093, { isolation: ['--discovery-port', discoveryPort] });
  await scene.waitFor(ann, /^joined /);
  const bobArgs = bot('bob', 1, 40);
  await scene.run('game-client', { args: ['--port', String(server.server.port), ...bobArgs] });
  await scene.waitFor(ann, /^final position /);
  await ann.server.exited;
  await scene.waitFor(server, /^left ann /);
  await scene.stop(server);
}
