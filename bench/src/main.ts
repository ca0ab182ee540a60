/**
 * `npm run bench` (or `-- --quick`; `-- --soak <minutes>` runs the soak of soak.ts instead): runs every row of plan.ts at least three times, prints one
 * markdown table per group with the median, min–max and the ratio to the group's baseline, then
 * the lessons' contrasts and the targets, and writes everything as JSON to bench/results/.
 * Every server is started with the shared kit (own process group, readiness line) and stopped.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { killAllGroups } from '@netprog/shared/process-groups';
import { startServer } from '@netprog/shared/program';
import { execaSync } from 'execa';
import { measureContrasts } from './contrasts.ts';
import { type Mode, plan, type Row } from './plan.ts';
import { type Measured, markdownReport, targets } from './report.ts';
import { sampleProcess } from './sample.ts';
import { soak } from './soak.ts';

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    tiny: { type: 'boolean', default: false },
    soak: { type: 'string' },
    out: { type: 'string', default: fileURLToPath(new URL('../results/', import.meta.url)) },
  },
});
if (flags.soak !== undefined) {
  const minutes = Number(flags.soak || 3);
  if (!(minutes > 0 && minutes <= 24 * 60)) throw new Error(`--soak takes minutes (up to a day), got '${flags.soak}'`);
  try {
    process.exitCode = (await soak(minutes)) ? 0 : 1;
  } finally {
    await killAllGroups();
  }
  process.exit();
}

const mode: Mode = flags.tiny ? 'tiny' : flags.quick ? 'quick' : 'full';
const durationMs = { full: 3000, quick: 1000, tiny: 100 }[mode];
const runs = mode === 'tiny' ? 1 : 3;

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

// One row: start the server, let it warm up briefly, run the load `runs` times while sampling the
// server's memory and CPU, stop it.
async function measure(row: Row): Promise<Measured> {
  const server = await startServer(row.subject.file, { args: row.subject.args });
  try {
    await row.load(server.port, Math.min(300, durationMs));
    const samples = [];
    for (let run = 0; run < runs; run++) {
      const stopSampling = sampleProcess(server.pid);
      const result = await row.load(server.port, durationMs);
      samples.push({ ...result, ...stopSampling() });
    }
    return { ...row, samples };
  } finally {
    await server.stop({ deadlineMs: 3000 });
  }
}

console.log(`# npm run bench (${mode}): ${runs} run(s) of ${durationMs} ms per row`);
console.log(`machine: ${machine.cores} × ${machine.cpu}; Node ${machine.node}; ${machine.python}`);
const measured: Measured[] = [];
try {
  for (const row of plan(mode, python !== undefined)) {
    process.stderr.write(
      `  ${row.group}: ${row.subject.name}, ${row.shape.connections} conn, ${row.shape.size ?? ''}…\n`,
    );
    measured.push(await measure(row));
  }
  const contrasts = mode === 'tiny' ? [] : await measureContrasts(durationMs, runs);
  const report = markdownReport(measured, contrasts);
  console.log(report);
  mkdirSync(flags.out, { recursive: true });
  const file = path.join(flags.out, `bench-${mode}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ mode, durationMs, runs, machine, rows: measured, contrasts, targets: targets(measured, contrasts) }, null, 2)}\n`,
  );
  console.log(`\nJSON: ${path.relative(process.cwd(), file)}`);
} finally {
  await killAllGroups();
}
