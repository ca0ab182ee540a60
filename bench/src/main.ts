/**
 * `npm run bench` (or `-- --quick`; `-- --group <name>` for some groups only): runs every row of plan.ts three
 * to five times after a warm-up, the rows of one load in turn, prints one markdown table per group with the median,
 * min–max and the ratio to the group's baseline, then the lessons' contrasts, the two capacity groups (game-server,
 * chat-web) and the targets, and writes everything as JSON to bench/results/. Every server is started with the
 * shared kit (own process group, readiness line) and stopped on every exit path. `-- --soak <minutes>` runs the soak of
 * soak.ts instead (`--only <server>` for some servers, `--heap` to compare heap snapshots as well).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { killAllGroups } from '@netprog/shared/process-groups';
import { startServer, typeScriptRunner } from '@netprog/shared/program';
import { nodeNeededBy } from '@netprog/shared/programs';
import { execaSync } from 'execa';
import { chatNodes } from './chat-nodes.ts';
import { chatWebCapacity } from './chat-web-capacity.ts';
import { measureContrasts } from './contrasts.ts';
import { gameCapacity } from './game-capacity.ts';
import { measurePair, type Pair } from './paired.ts';
import { allowedCpus, pinning, pinServer } from './pin.ts';
import { httpPairs, httpPinned, type Mode, plan, type Row } from './plan.ts';
import { type Measured, markdownReport, targets } from './report.ts';
import { sampleProcess } from './sample.ts';
import { soak, UsageError } from './soak.ts';
import { webBoard } from './web-board.ts';

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    tiny: { type: 'boolean', default: false },
    soak: { type: 'string' },
    group: { type: 'string', multiple: true },
    only: { type: 'string', multiple: true },
    heap: { type: 'boolean', default: false },
    out: { type: 'string', default: fileURLToPath(new URL('../results/', import.meta.url)) },
  },
});
const usageError = (message: string) => {
  console.error(`error: ${message}`);
  process.exit(2);
};
if (flags.soak === undefined && (flags.only || flags.heap)) usageError('--only and --heap go with --soak');
if (flags.soak !== undefined) {
  const minutes = Number(flags.soak || 3);
  if (!(minutes > 0 && minutes <= 24 * 60)) usageError(`--soak takes minutes (up to a day), got '${flags.soak}'`);
  try {
    process.exitCode = (await soak(minutes, { only: flags.only, heap: flags.heap })) ? 0 : 1;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`error: ${error.message}`);
    process.exitCode = 2;
  } finally {
    await killAllGroups();
  }
  process.exit();
}

const mode: Mode = flags.tiny ? 'tiny' : flags.quick ? 'quick' : 'full';
const durationMs = { full: 3000, quick: 1000, tiny: 100 }[mode];
const runs = mode === 'tiny' ? 1 : 3;
// The load rows: this machine's speed drifts by a quarter from one second to the next (other work on the host),
// so each 1 s row runs five times in turn with the others (a full run's 3 s rows, three times), after a warm-up
// long enough for V8 to optimise the server.
const loadRuns = { full: 3, quick: 5, tiny: 1 }[mode];
const warmUpMs = mode === 'tiny' ? durationMs : 2000;
// A pair's round still varies by ±10 % (the scheduler's halves of a core are not exact), so pairs get more rounds.
const pairRounds = { full: 5, quick: 9, tiny: 1 }[mode];
// The capacity groups' sizes: players at 20 Hz with warm-up and measured milliseconds; chat users.
const game = {
  full: { counts: [0, 1, 16, 40], warmUpMs: 2000, measureMs: 10_000 },
  quick: { counts: [0, 16], warmUpMs: 1000, measureMs: 3000 },
  tiny: { counts: [0, 2], warmUpMs: 200, measureMs: 1000 },
}[mode];
const chat = {
  full: { users: 2000, messages: 60 },
  quick: { users: 200, messages: 20 },
  tiny: { users: 20, messages: 3 },
}[mode];
// The room across nodes: members, seconds of traffic at 200 lines a second, lines said during the outage, the
// outage, and the lines of the burst.
const nodesSize = {
  full: { members: 20, seconds: 10, outageLines: 1000, outageMs: 5000, lines: 10_000 },
  quick: { members: 20, seconds: 3, outageLines: 500, outageMs: 5000, lines: 5000 },
  tiny: { members: 6, seconds: 1, outageLines: 50, outageMs: 1000, lines: 500 },
}[mode];

// 07-web's board: seconds per load, connections, and logins in the burst; --tiny also lowers scrypt's cost.
const boardSize = {
  full: { durationMs, runs, connections: 16, burst: 20 },
  quick: { durationMs, runs, connections: 16, burst: 20 },
  tiny: { durationMs, runs, connections: 4, burst: 3, scryptCost: 10 },
}[mode];

// `--group` picks groups by these names; without it every group runs.
const groupNames = {
  'tcp-echo': 'TCP echo',
  'udp-echo': 'UDP echo',
  'http-get': 'HTTP GET /',
  contrasts: 'contrasts',
  'game-capacity': 'game-server capacity',
  'chat-web-capacity': 'chat-web capacity',
  'chat-nodes': 'chat across nodes',
  'web-board': 'web board',
} as const;
for (const name of flags.group ?? []) {
  if (!(name in groupNames)) usageError(`--group takes one of ${Object.keys(groupNames).join(', ')}; got '${name}'`);
}
const wanted = (group: string) =>
  flags.group === undefined || flags.group.some((name) => groupNames[name as keyof typeof groupNames] === group);

function pythonVersion(): string | undefined {
  try {
    return execaSync('python3', ['--version']).stdout.trim();
  } catch {
    return undefined;
  }
}
const python = mode === 'tiny' ? undefined : pythonVersion();
const machine = {
  cores: cpus().length,
  cpu: cpus()[0]?.model ?? 'unknown',
  node: process.version,
  python: python ?? 'not found (Python rows skipped)',
};

// The rows that share a load (group, connections, size) are measured together: every server is started and
// warmed up, then each run loads them in turn (the order reversed every other run) while sampling each
// server's memory and CPU. Whatever else the machine does then falls on all of them alike, not on one row.
async function measureTogether(rows: Row[]): Promise<Measured[]> {
  const started: { row: Row; server: Awaited<ReturnType<typeof startServer>>; samples: Measured['samples'] }[] = [];
  try {
    for (const row of rows) {
      const server = await startServer(row.subject.file, { args: row.subject.args });
      if (row.pinned) pinServer(server.pid);
      started.push({ row, server, samples: [] });
    }
    for (const { row, server } of started) await row.load(server.port, warmUpMs);
    for (let run = 0; run < loadRuns; run++) {
      for (const { row, server, samples } of run % 2 === 0 ? started : [...started].reverse()) {
        const stopSampling = sampleProcess(server.pid);
        const result = await row.load(server.port, durationMs);
        samples.push({ ...result, ...stopSampling() });
      }
    }
    return started.map(({ row, server, samples }) => ({ ...row, cpus: allowedCpus(server.pid), samples }));
  } finally {
    for (const { server } of started) await server.stop({ deadlineMs: 3000 });
  }
}

console.log(
  `# npm run bench (${mode}): ${loadRuns} run(s) of ${durationMs} ms per row, after ${warmUpMs} ms of warm-up`,
);
console.log(`machine: ${machine.cores} × ${machine.cpu}; Node ${machine.node}; ${machine.python}`);
// Users run the examples with plain `node file.ts` where Node strips types (22.18+); Node 20 needs tsx, which
// adds its own memory to every server's RSS.
console.log(
  typeScriptRunner.length === 0
    ? 'servers: plain node (type stripping), as users run them'
    : 'servers: node --import tsx (this Node cannot strip types), so each RSS includes tsx, about 44 MB',
);
if (httpPinned && pinning)
  console.log(`HTTP: each server pinned to CPU ${pinning.server}, wrk to CPU ${pinning.generator} (taskset)`);
const measured: Measured[] = [];
try {
  const rows = plan(mode, python !== undefined).filter((candidate) => wanted(candidate.group));
  const loadOf = (row: Row) =>
    `${row.group}, ${row.shape.connections} conn${row.shape.size ? `, ${row.shape.size} B` : ''}`;
  for (const load of new Set(rows.map(loadOf))) {
    const together = rows.filter((row) => loadOf(row) === load);
    process.stderr.write(`  ${load}: ${together.map((row) => row.subject.name).join(', ')}…\n`);
    measured.push(...(await measureTogether(together)));
  }
  // The HTTP targets, each pair loaded at once on one core (paired.ts), where wrk and two cores allow it.
  const pairs: Pair[] = [];
  for (const [subject, against] of httpPinned && wanted('HTTP GET /') ? httpPairs : []) {
    process.stderr.write(`  HTTP GET / in pairs on one core: ${subject.name} beside ${against.name}…\n`);
    pairs.push(await measurePair(subject, against, { rounds: pairRounds, durationMs, warmUpMs }));
  }
  const contrasts = mode === 'tiny' || !wanted('contrasts') ? [] : await measureContrasts(durationMs, runs);
  if (wanted('game-server capacity'))
    process.stderr.write(`  game-server capacity: ${game.counts.join(', ')} players…\n`);
  const players = wanted('game-server capacity')
    ? await gameCapacity(game.counts, game.warmUpMs, game.measureMs)
    : undefined;
  if (wanted('chat-web capacity')) process.stderr.write(`  chat-web capacity: ${chat.users} users…\n`);
  const users = wanted('chat-web capacity') ? await chatWebCapacity(chat.users, chat.messages) : undefined;
  // Redis and HAProxy come from the system (apt install redis-server haproxy); without them the group says so.
  const hasNodeTools = ['redis-server', 'haproxy'].every(
    (tool) => execaSync('sh', ['-c', `command -v ${tool}`], { reject: false }).exitCode === 0,
  );
  if (wanted('chat across nodes'))
    process.stderr.write(
      `  chat across nodes: ${hasNodeTools ? `${nodesSize.members} members…` : 'skipped, no redis-server or haproxy'}\n`,
    );
  const nodes =
    wanted('chat across nodes') && hasNodeTools
      ? await chatNodes(
          nodesSize.members,
          nodesSize.seconds,
          nodesSize.outageLines,
          nodesSize.outageMs,
          nodesSize.lines,
        )
      : undefined;
  // The board needs node:sqlite (Node 22.13+); on an older Node the group says how to run it.
  const boardNeeds = nodeNeededBy('07-web');
  if (wanted('web board'))
    process.stderr.write(
      `  web board: ${boardNeeds ? `skipped, the board needs Node ${boardNeeds} (npx -p node@24 -- npm run bench -- --group web-board)` : `${boardSize.burst} logins at once…`}\n`,
    );
  const board = wanted('web board') && !boardNeeds ? await webBoard(boardSize) : undefined;
  console.log(
    markdownReport(measured, pairs, contrasts, [players?.markdown, users?.markdown, nodes?.markdown, board?.markdown]),
  );
  mkdirSync(flags.out, { recursive: true });
  const file = path.join(flags.out, `bench-${mode}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    file,
    `${JSON.stringify(
      {
        mode,
        durationMs,
        runs,
        machine,
        rows: measured,
        contrasts,
        gameCapacity: players?.rows,
        chatWebCapacity: users?.result,
        chatNodes: nodes?.result,
        webBoard: board?.result,
        pairs,
        targets: targets(measured, pairs, contrasts),
      },
      null,
      2,
    )}\n`,
  );
  console.log(`\nJSON: ${path.relative(process.cwd(), file)}`);
} finally {
  await killAllGroups();
}
