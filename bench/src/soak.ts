/**
 * `npm run bench -- --soak <minutes>`: every example server at once, each under its mixed traffic
 * (soak-traffic.ts) from a few concurrent clients for the given time, while its resident memory
 * and open file descriptors are sampled. Memory may grow while a server warms up; what must not
 * happen is growth that goes on. So the verdict looks at the second half of the run: a least-squares
 * slope of RSS over time there, and of open descriptors; memory that grew there but levelled off in
 * the last quarter is a plateau, not a leak, and the quarters column shows which. (Bounded pools fill
 * up in the first half: lossy-relay keeps up to 256 upstream sockets, one per recent client.) RSS cannot
 * tell a leak from the collector's spare room; with `--heap`, heap snapshots can (heap-snapshots.ts).
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { residentBytes } from '@netprog/shared/proc';
import { type Server, startServer } from '@netprog/shared/program';
import { grewMost, type HeapSummary, snapshotEnv, summarise, takeSnapshot } from './heap-snapshots.ts';
import { type SoakSubject, soakSubjects } from './soak-traffic.ts';

const clientsPerServer = 3;
/** Over the second half of the run: growth beyond both of these is a leak, not noise. */
const maxSlopeMiBPerMinute = 1;
const maxSecondHalfGrowthMiB = 8;
const maxExtraDescriptors = 16;
const maxDescriptorsPerMinute = 4;
/** Between the heap snapshots (after a quarter of the run, and near its end): live bytes that grow past both. */
const maxHeapGrowthMiB = 2;
const maxHeapGrowthShare = 0.05;

interface Sample {
  atMs: number;
  rssMiB: number;
  descriptors: number;
}

function sample(pid: number, startedAt: number): Sample | undefined {
  try {
    const rssMiB = residentBytes(pid) / 2 ** 20;
    return { atMs: performance.now() - startedAt, rssMiB, descriptors: readdirSync(`/proc/${pid}/fd`).length };
  } catch {
    return undefined; // gone: the stop will say why
  }
}

/** Least-squares slope of a measure against time, per minute. */
function slope(samples: Sample[], measure: (sample: Sample) => number): number {
  const n = samples.length;
  if (n < 2) return 0;
  const meanT = samples.reduce((sum, s) => sum + s.atMs, 0) / n;
  const meanY = samples.reduce((sum, s) => sum + measure(s), 0) / n;
  const covariance = samples.reduce((sum, s) => sum + (s.atMs - meanT) * (measure(s) - meanY), 0);
  const variance = samples.reduce((sum, s) => sum + (s.atMs - meanT) ** 2, 0);
  return variance === 0 ? 0 : (covariance / variance) * 60_000;
}

interface Tally {
  rounds: number;
  failed: number;
  examples: string[];
}

async function drive(subject: SoakSubject, port: number, until: number, tally: Tally) {
  let round = 0;
  const client = async () => {
    while (performance.now() < until) {
      try {
        await subject.round(port, round++);
        tally.rounds++;
      } catch (error) {
        tally.failed++;
        if (tally.examples.length < 2) tally.examples.push((error as Error).message);
        await sleep(50);
      }
    }
  };
  await Promise.all(Array.from({ length: clientsPerServer }, client));
}

/** A soak asked for wrongly: main.ts prints it as one error line and exits 2. */
export class UsageError extends Error {}

export interface SoakOptions {
  /** Only these servers (by name); all of them without it. */
  only?: string[];
  /** Compare heap snapshots taken after a quarter of the run and near its end (heap-snapshots.ts). */
  heap?: boolean;
}

/** Runs the soak; prints one row per server and returns whether every server passed. */
export async function soak(minutes: number, options: SoakOptions = {}): Promise<boolean> {
  // The file-server's uploads and the heap snapshots go to one scratch folder, removed however the soak ends.
  const scratch = mkdtempSync(path.join(tmpdir(), 'soak-'));
  try {
    return await soakIn(scratch, minutes, options);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function soakIn(scratch: string, minutes: number, options: SoakOptions): Promise<boolean> {
  const all = soakSubjects(scratch);
  const unknown = options.only?.find((name) => !all.some((subject) => subject.name === name));
  if (unknown !== undefined)
    throw new UsageError(`--only takes one of ${all.map((subject) => subject.name).join(', ')}; got '${unknown}'`);
  const subjects = all.filter((subject) => options.only?.includes(subject.name) ?? true);
  const snapshotDir = options.heap ? path.join(scratch, 'heap') : undefined;
  if (snapshotDir) mkdirSync(snapshotDir);
  const ports = new Map<string, number>();
  const servers = new Map<string, Server>();
  for (const subject of subjects) {
    const server = await startServer(subject.file, {
      cwd: subject.cwd,
      args: subject.args?.(ports),
      env: snapshotDir ? snapshotEnv(snapshotDir) : undefined,
    });
    servers.set(subject.name, server);
    ports.set(subject.name, server.port);
  }
  const durationMs = minutes * 60_000;
  const startedAt = performance.now();
  const samples = new Map(subjects.map((subject) => [subject.name, [] as Sample[]]));
  const sampler = setInterval(
    () => {
      for (const [name, server] of servers) {
        const reading = sample(server.pid, startedAt);
        if (reading) samples.get(name)?.push(reading);
      }
    },
    Math.max(1000, durationMs / 120),
  );
  const tallies = new Map<string, Tally>(
    subjects.map((subject) => [subject.name, { rounds: 0, failed: 0, examples: [] }]),
  );
  process.stderr.write(`soaking ${subjects.length} servers for ${minutes} min…\n`);
  // The snapshots are taken while the traffic runs: one after a quarter of the run, one at fifteen sixteenths.
  const snapshots = new Map(subjects.map((subject) => [subject.name, [] as string[]]));
  const snapshotAll = async () => {
    for (const [name, server] of servers) snapshots.get(name)?.push(await takeSnapshot(server.pid, snapshotDir ?? ''));
  };
  const snapshotting = snapshotDir
    ? sleep(durationMs / 4)
        .then(snapshotAll)
        .then(() => sleep(Math.max(0, startedAt + (durationMs * 15) / 16 - performance.now())))
        .then(snapshotAll)
    : Promise.resolve();
  await Promise.all([
    snapshotting,
    ...subjects.map((subject) =>
      drive(subject, ports.get(subject.name) ?? 0, startedAt + durationMs, tallies.get(subject.name) as Tally),
    ),
  ]);
  clearInterval(sampler);

  let passed = true;
  console.log(`# soak: ${minutes} min, ${clientsPerServer} clients per server, all servers at once\n`);
  console.log(
    '| server | rounds | failed | RSS start → end MiB | at each quarter | max | 2nd-half slope MiB/min (last quarter) | fds start → end (slope/min) | verdict |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const subject of subjects) {
    const server = servers.get(subject.name) as Server;
    const result = await server.stop({ deadlineMs: 20_000 });
    const all = samples.get(subject.name) ?? [];
    const secondHalf = all.filter((s) => s.atMs >= durationMs / 2);
    const first = all[0];
    const last = all.at(-1);
    const rate = slope(secondHalf, (s) => s.rssMiB);
    const lastQuarterRate = slope(
      all.filter((s) => s.atMs >= (durationMs * 3) / 4),
      (s) => s.rssMiB,
    );
    const atQuarter = (quarter: number) =>
      all.find((s) => s.atMs >= (durationMs * quarter) / 4)?.rssMiB ?? last?.rssMiB;
    const descriptorRate = slope(secondHalf, (s) => s.descriptors);
    const growth = (secondHalf.at(-1)?.rssMiB ?? 0) - (secondHalf[0]?.rssMiB ?? 0);
    const tally = tallies.get(subject.name) as Tally;
    // With --heap, writing a snapshot raises the RSS by tens of MB, and the live heap is the verdict on memory.
    const rssGrows =
      rate > maxSlopeMiBPerMinute && growth > maxSecondHalfGrowthMiB && lastQuarterRate > maxSlopeMiBPerMinute;
    const problems = [
      rssGrows && !snapshotDir ? 'memory keeps growing' : '',
      descriptorRate > maxDescriptorsPerMinute &&
      (last?.descriptors ?? 0) > (secondHalf[0]?.descriptors ?? 0) + maxExtraDescriptors
        ? 'descriptors keep growing'
        : '',
      tally.failed > tally.rounds / 100 ? `failed rounds: ${tally.examples.join('; ')}` : '',
      result.exitCode === 0 ? '' : `exit ${result.exitCode ?? result.signal} on SIGTERM`,
      all.length < 2 ? 'too few samples' : '',
    ].filter(Boolean);
    if (problems.length > 0) passed = false;
    const mib = (value: number | undefined) => (value ?? 0).toFixed(0);
    console.log(
      `| ${subject.name} | ${tally.rounds} | ${tally.failed} | ${mib(first?.rssMiB)} → ${mib(last?.rssMiB)} | ` +
        `${[1, 2, 3].map((quarter) => mib(atQuarter(quarter))).join(' / ')} | ` +
        `${mib(Math.max(...all.map((s) => s.rssMiB)))} | ${rate.toFixed(2)} (${lastQuarterRate.toFixed(2)}) | ${first?.descriptors} → ${last?.descriptors} (${descriptorRate.toFixed(1)}) | ` +
        `${problems.length === 0 ? 'ok' : `**FAIL: ${problems.join('; ')}**`} |`,
    );
  }
  if (snapshotDir) passed = compareHeaps(subjects, snapshots) && passed;
  return passed;
}

/** One row per server: live heap at the two snapshots, and what grew most between them. */
function compareHeaps(subjects: SoakSubject[], snapshots: Map<string, string[]>): boolean {
  let passed = true;
  console.log('\n| server | live heap at ¼ MiB | at 15/16 MiB | growth | grew most | verdict |');
  console.log('|---|---:|---:|---:|---|---|');
  for (const subject of subjects) {
    const [early, late] = (snapshots.get(subject.name) ?? []).map(summarise) as [HeapSummary, HeapSummary];
    const grownMiB = (late.liveBytes - early.liveBytes) / 2 ** 20;
    const leaks = grownMiB > maxHeapGrowthMiB && grownMiB > (maxHeapGrowthShare * early.liveBytes) / 2 ** 20;
    if (leaks) passed = false;
    const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
    console.log(
      `| ${subject.name} | ${mib(early.liveBytes)} | ${mib(late.liveBytes)} | ${grownMiB >= 0 ? '+' : ''}${grownMiB.toFixed(2)} | ` +
        `${grewMost(early, late).join('; ')} | ${leaks ? '**FAIL: live heap grows**' : 'ok'} |`,
    );
  }
  return passed;
}
