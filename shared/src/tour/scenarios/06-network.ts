/**
 * 06-network on stage: two hosts on a switch, where a server bound to 127.0.0.1 cannot be reached,
 * a firewall drops or refuses, an absent host and a missing route fail differently, a handshake
 * is watched and every third datagram is lost; then a LAN behind a NAT router, where c sees the
 * router and the game's multicast stays on the LAN; last, tcp-relay slicing a stream on loopback,
 * which needs no root. Without root the lab's part is explained instead of played.
 */
import { labProblem } from '../../lab.ts';
import { LabStage, type Staged } from '../lab-stage.ts';
import type { Scenario, Scene } from '../scene.ts';

export const networkScenario: Scenario = {
  area: '06-network',
  title: 'Across a network',
  async play(scene) {
    // A lab's number, a client's ephemeral port and a capture's times differ from run to run.
    scene.replace(/\blab \d+\b/g, 'lab 1');
    scene.replace(/\blab\d+-/g, 'lab1-');
    scene.replace(/(10\.0\.\d+\.\d+|fd06:[\da-f:]*):\d{5}\b/g, '$1:<port>');
    scene.replace(/ +\d+\.\d{3} ms {2}/g, '  <time>  ');
    scene.replace(/in \d+ commands/g, 'in <n> commands');
    scene.omit(/^last \d+ ms: \d+ datagrams/); // udp-server's summary every 10 s: a slow run has one
    scene.replace(/^\d+ packet\(s\)$/g, '<n> packet(s)');
    scene.replace(/^ticks \d+ \(late \d+, longest [\d.]+ ms\)/g, 'ticks <n> (late <n>, longest <ms> ms)');
    if (labProblem) {
      scene.note(`the lab is not played here: ${labProblem}`);
      scene.note('as root (sudo npm start -- 06) it builds hosts and shows each scenario of 06-network/README.md');
      await slicedOnLoopback(scene);
      return;
    }
    // Two labs never meet (each has its own number, so its own namespaces and cables), and the
    // loopback act needs neither: all three play at once, shown one after another.
    await scene.together(
      (act) => onLab(act, 'two-hosts', twoHosts),
      (act) => onLab(act, 'lan-wan', behindNat),
      slicedOnLoopback,
    );
  },
};

/** Plays `scenes` on a lab of `topology`, which is taken down even when a scene fails. */
async function onLab(scene: Scene, topology: string, scenes: (scene: Scene, stage: LabStage) => Promise<void>) {
  const stage = await LabStage.up(scene, topology);
  try {
    await scenes(scene, stage);
  } finally {
    if (stage.lab.isUp()) await stage.lab.down();
  }
}

async function twoHosts(scene: Scene, stage: LabStage): Promise<void> {
  let everywhere: Staged | undefined;
  // What b finds at a (a server, then a firewall) and what it finds where there is no a (an absent
  // host, no route) do not touch each other: the two play at once.
  await scene.together(
    async (act) => {
      everywhere = await reachingA(act, stage.in(act));
    },
    async (act) => {
      act.note('an absent host on the LAN (no ARP answer), then a network with no route');
      await stage.in(act).run('b', '01-socket', 'echo-client', ['--host', '10.0.1.99', 'anyone?']);
      await stage.in(act).run('b', '01-socket', 'echo-client', ['--host', '10.0.2.20', 'anyone?']);
    },
  );
  if (!everywhere) throw new Error('the echo-server on a did not start');

  scene.note('the handshake, watched on a: SYN, SYN ACK, ACK (the data and the close follow; see the README)');
  const watcher = await stage.background('a', '06-network', 'watch', ['--interface', 'eth0'], /^capturing /);
  await stage.run('b', '01-socket', 'echo-client', ['--host', '10.0.1.10', 'watched']);
  await stage.waitFor(everywhere, /^closed /);
  await stage.waitFor(watcher, /handshake 3 of 3/);
  await stage.waitFor(watcher, / ACK +ack 10$/, { show: false });
  await stage.stop(watcher);
  await stage.stop(everywhere);

  scene.note('exactly every 3rd datagram arriving at b is dropped: udp-client sends those again');
  const udp = await stage.start('b', '05-udp', 'udp-server', ['--host', '0.0.0.0']);
  await stage.do('fault', 'b', 'every', '3');
  await stage.run('a', '05-udp', 'udp-client', ['--host', '10.0.1.11', '--count', '10', '--timeout', '1000']);
  await stage.stop(udp);
  await stage.do('status');
  await stage.do('down');
}

/** b reaches a's echo-server only once it listens beyond loopback; then a firewall drops, then refuses. */
async function reachingA(scene: Scene, stage: LabStage): Promise<Staged> {
  scene.note('a server bound to 127.0.0.1 (the default) is reached from its own host only');
  const loopbackOnly = await stage.start('a', '01-socket', 'echo-server', []);
  await stage.run('b', '01-socket', 'echo-client', ['--host', '10.0.1.10', 'hello from b']);
  await stage.stop(loopbackOnly);
  const everywhere = await stage.start('a', '01-socket', 'echo-server', ['--host', '0.0.0.0']);
  await stage.run('b', '01-socket', 'echo-client', ['--host', '10.0.1.10', 'hello from b']);
  await stage.waitFor(everywhere, /^closed /);

  scene.note('a firewall that drops: the client hears nothing and times out; one that rejects: refused at once');
  await stage.do('fault', 'a', 'drop', 'tcp:8080');
  await stage.run('b', '01-socket', 'echo-client', ['--host', '10.0.1.10', '--timeout', '1500', 'hello?']);
  await stage.do('clear', 'a');
  await stage.do('fault', 'a', 'reject', 'tcp:8080');
  await stage.run('b', '01-socket', 'echo-client', ['--host', '10.0.1.10', 'hello?']);
  await stage.do('clear', 'a');
  return everywhere;
}

async function behindNat(scene: Scene, stage: LabStage): Promise<void> {
  scene.note('c sees the router (10.0.2.1), not a: NAT; over IPv6, which is routed, it sees a itself');
  const onC = await stage.start('c', '01-socket', 'echo-server', ['--host', '::']);
  await stage.run('a', '01-socket', 'echo-client', ['--host', '10.0.2.20', 'from a']);
  await stage.waitFor(onC, /^closed /);
  await stage.run('a', '01-socket', 'echo-client', ['--host', 'fd06:2::20', 'from a']);
  await stage.waitFor(onC, /^closed /);
  await stage.stop(onC);
  scene.note('c cannot reach a at all, until the router forwards a port to it');
  const onA = await stage.start('a', '01-socket', 'echo-server', ['--host', '0.0.0.0']);
  await stage.run('c', '01-socket', 'echo-client', ['--host', '10.0.1.10', 'from c']);
  await stage.do('fault', 'r', 'forward', 'tcp:8080', 'a:8080');
  await stage.run('c', '01-socket', 'echo-client', ['--host', '10.0.2.1', 'from c']);
  await stage.waitFor(onA, /^closed /);
  await stage.stop(onA);

  scene.note("the game's multicast (TTL 1) is heard on the LAN, and not past the router");
  const game = await stage.start('a', '05-udp', 'game-server', ['--host', '0.0.0.0', '--interface', '10.0.1.10']);
  await stage.run('b', '05-udp', 'game-client', ['--list', '--interface', '10.0.1.11', '--timeout', '1500']);
  await stage.run('c', '05-udp', 'game-client', ['--list', '--interface', '10.0.2.20', '--timeout', '1500']);
  await stage.stop(game);
  await stage.do('down');
}

async function slicedOnLoopback(scene: Scene): Promise<void> {
  scene.note(
    'no root needed: tcp-relay slices the stream into 3-byte pieces, 10 ms apart; the echo still arrives whole',
  );
  const server = await scene.start('echo-server', 8080, { area: '01-socket' });
  const relay = await scene.start('tcp-relay', 8070, {
    args: ['--target-port', String(server.server.port), '--slice', '3', '--slice-delay', '10'],
  });
  await scene.run('echo-client', {
    area: '01-socket',
    args: ['--port', String(relay.server.port), 'sliced but whole'],
  });
  await scene.waitFor(relay, /bytes up/);
  await scene.stop(relay);
  await scene.stop(server, { hide: /^(connected|closed) / });
}
