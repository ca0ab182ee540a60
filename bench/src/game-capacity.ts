/**
 * The game-server capacity group of `npm run bench`: what game-server costs per player at its 20 Hz
 * tick, and whether its ticks keep time. For each count (full: 0, 1, 16, 40: none, to measure the
 * idle tick, one, the default cap, the most one snapshot datagram can carry) a fresh server runs with
 * default flags (but --max-players, raised to the count when above 16) and that many players,
 * simulated here, each sending an input with one move every tick as game-client does. After a
 * warm-up, the server's CPU (from /proc) is measured with what each player adds to the idle server's,
 * this generator's own CPU beside it (a paced load: it must stay far from a full core), snapshots
 * received against those a 20 Hz server sends, and the server's own tick report.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { GamePeer } from '@netprog/shared/game-peer';
import { cpuSeconds } from '@netprog/shared/proc';
import { startServer } from '@netprog/shared/program';
import { programFile } from '@netprog/shared/programs';
import type { Move } from '../../examples/05-udp/src/game-protocol.ts';

const tickMs = 50;

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

export interface GameCapacityRow {
  players: number;
  serverCpuShare: number;
  generatorCpuShare: number;
  snapshotsReceived: number;
  snapshotsExpected: number;
  ticksLate: number;
  longestTickMs: number;
}

/** Measures each count in turn, each on a fresh server stopped before the next starts. */
export async function gameCapacity(counts: number[], warmUpMs: number, measureMs: number) {
  const rows: GameCapacityRow[] = [];
  for (const count of counts) {
    const server = await startServer(programFile('05-udp', 'game-server'), {
      args: count > 16 ? ['--max-players', String(count)] : [],
    });
    let measured: Omit<GameCapacityRow, 'ticksLate' | 'longestTickMs'>;
    let stdout: string;
    const players: Awaited<ReturnType<typeof player>>[] = [];
    try {
      for (let index = 0; index < count; index++) players.push(await player(server.port, index));
      await sleep(warmUpMs);
      const received = () => players.reduce((sum, p) => sum + p.snapshots(), 0);
      const [serverBefore, generatorBefore, snapshotsBefore] = [cpuSeconds(server.pid), process.cpuUsage(), received()];
      await sleep(measureMs);
      const generator = process.cpuUsage(generatorBefore);
      measured = {
        players: count,
        serverCpuShare: (cpuSeconds(server.pid) - serverBefore) / (measureMs / 1000),
        generatorCpuShare: (generator.user + generator.system) / 1e6 / (measureMs / 1000),
        snapshotsReceived: received() - snapshotsBefore,
        snapshotsExpected: (count * measureMs) / tickMs,
      };
    } finally {
      // Players and server are stopped on every path; the server prints its tick report as it stops.
      for (const p of players) p.close();
      stdout = (await server.stop()).stdout;
    }
    const ticks = /ticks \d+ \(late (\d+), longest ([\d.]+) ms\)/.exec(stdout);
    if (!ticks) throw new Error('game-server printed no tick report when stopped');
    rows.push({ ...measured, ticksLate: Number(ticks[1]), longestTickMs: Number(ticks[2]) });
  }
  return { rows, markdown: gameCapacityTable(rows, measureMs) };
}

function gameCapacityTable(rows: GameCapacityRow[], measureMs: number): string {
  const percent = (share: number) => `${(share * 100).toFixed(2)} %`;
  const idle = rows.find((row) => row.players === 0)?.serverCpuShare;
  const lines = [
    '',
    `## game-server capacity (${measureMs / 1000} s per count, a move every tick)`,
    '',
    '| players | server CPU | added per player | generator CPU | snapshots received | ticks late | longest tick |',
    '|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const row of rows) {
    const perPlayer =
      row.players === 0 || idle === undefined ? '–' : percent((row.serverCpuShare - idle) / row.players);
    lines.push(
      `| ${row.players} | ${percent(row.serverCpuShare)} | ${perPlayer} | ${percent(row.generatorCpuShare)} | ` +
        `${row.snapshotsReceived} of ${row.snapshotsExpected} | ${row.ticksLate} | ${row.longestTickMs} ms |`,
    );
  }
  return lines.join('\n');
}
