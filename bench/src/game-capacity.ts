/**
 * `npx tsx bench/src/game-capacity.ts [PLAYERS...]`: what game-server costs per player at its 20 Hz
 * tick, and whether its ticks keep time. For each count (default 0, 1, 16, 40: none, to measure
 * the idle tick, one, the default cap, the most one snapshot datagram can carry) a fresh server runs with default flags (but
 * --max-players, raised to the count when above 16) and that many players, simulated here, each
 * sending an input with one move every tick as game-client does. After a 2 s warm-up, 10 s are
 * measured: the server's CPU (from /proc) and what each player adds to the idle server's, this
 * generator's own CPU beside it (a paced load: it must stay far from a full core), snapshots received
 * against those a 20 Hz server sends, and the server's own tick report. Bounded: 12 s per count.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { GamePeer } from '@netprog/shared/game-peer';
import { cpuSeconds } from '@netprog/shared/proc';
import { killAllGroups } from '@netprog/shared/process-groups';
import { startServer } from '@netprog/shared/program';
import { programFile } from '@netprog/shared/programs';
import type { Move } from '../../examples/05-udp/src/game-protocol.ts';

const counts = process.argv.slice(2).map(Number);
const tickMs = 50;
const warmUpMs = 2000;
const measureMs = 10_000;

/** One simulated player: joins, then every tick sends its newest move, walking left and right. */
async function player(port: number, index: number) {
  const peer = new GamePeer(port);
  const { player: id, token } = await peer.join(`p${index}`);
  let sequence = 1; // the join's empty input was number 1
  const timer = setInterval(() => {
    sequence++;
    const move: Move = Math.floor(sequence / 10) % 2 === 0 ? 4 : 3;
    void peer.send({ type: 'input', player: id, token, firstSequence: sequence, moves: [move] });
  }, tickMs);
  const snapshots = () => peer.received.filter((message) => message.type === 'snapshot').length;
  const close = () => {
    clearInterval(timer);
    peer.close();
  };
  return { snapshots, close };
}

console.log(
  `| players | server CPU | added per player | generator CPU | snapshots received | ticks late | longest tick |`,
);
console.log('|---:|---:|---:|---:|---:|---:|---:|');
let idleShare = 0;
// Every server is stopped on every exit path, a failed measurement included.
try {
  for (const count of counts.length > 0 ? counts : [0, 1, 16, 40]) {
    const server = await startServer(programFile('05-udp', 'game-server'), {
      args: count > 16 ? ['--max-players', String(count)] : [],
    });
    const players = await Promise.all(Array.from({ length: count }, (_, index) => player(server.port, index)));
    await sleep(warmUpMs);
    const [serverBefore, generatorBefore, snapshotsBefore] = [
      cpuSeconds(server.pid),
      process.cpuUsage(),
      players.reduce((sum, p) => sum + p.snapshots(), 0),
    ];
    await sleep(measureMs);
    const serverShare = (cpuSeconds(server.pid) - serverBefore) / (measureMs / 1000);
    const generator = process.cpuUsage(generatorBefore);
    const generatorShare = (generator.user + generator.system) / 1e6 / (measureMs / 1000);
    const received = players.reduce((sum, p) => sum + p.snapshots(), 0) - snapshotsBefore;
    const expected = (count * measureMs) / tickMs;
    for (const p of players) p.close();
    const end = (await server.stop()).stdout;
    const ticks = /ticks \d+ \(late (\d+), longest ([\d.]+) ms\)/.exec(end);
    const percent = (share: number) => `${(share * 100).toFixed(2)} %`;
    if (count === 0) idleShare = serverShare;
    const perPlayer = count === 0 ? '–' : percent((serverShare - idleShare) / count);
    console.log(
      `| ${count} | ${percent(serverShare)} | ${perPlayer} | ${percent(generatorShare)} | ` +
        `${received} of ${expected} | ${ticks?.[1]} | ${ticks?.[2]} ms |`,
    );
  }
} finally {
  await killAllGroups();
}
