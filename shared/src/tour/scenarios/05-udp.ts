/**
 * 05-udp on stage: an echo over UDP, the same through a relay that loses, duplicates and
 * reorders datagrams, and a heartbeat monitor noticing an agent come and go. Counts that depend
 * on timing are shown as placeholders; what must hold (every message answered) is not.
 */
import type { Scenario } from '../scene.ts';

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
    const server = await scene.start('udp-server', 9090);
    const serverPort = String(server.server.port);
    await scene.run('udp-client', { show: 'hello world', args: ['--port', serverPort, 'hello', 'world'] });

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
    const relay = await scene.start('lossy-relay', 9091, {
      show: '--drop 0.3 --duplicate 0.1 --reorder 0.1 --seed 42',
      args: relayArgs,
    });
    await scene.run('udp-client', {
      show: '--port 9091 --count 10 --timeout 200 --attempts 10',
      args: ['--port', String(relay.server.port), '--count', '10', '--timeout', '200', '--attempts', '10'],
    });
    await scene.stop(relay);
    await scene.stop(server);

    const monitor = await scene.start('heartbeat-monitor', 9092, {
      show: '--interval 200',
      args: ['--interval', '200'],
    });
    const agent = await scene.background('heartbeat-agent', {
      show: '--name web-1 --interval 200',
      args: ['--name', 'web-1', '--interval', '200', '--port', String(monitor.server.port)],
    });
    await scene.waitFor(monitor, /^up web-1/);
    await scene.stop(agent);
    await scene.waitFor(monitor, /^down web-1/);
    await scene.stop(monitor);
  },
};
