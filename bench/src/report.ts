/**
 * Turns measurements into the tables `npm run bench` prints: medians with their min–max, the ratio
 * to the baseline of the same group and load, the lessons' contrasts, and the targets of the
 * project's performance section, each with the figure measured and whether it was met.
 */
import type { Contrast } from './contrasts.ts';
import type { LoadResult } from './load.ts';
import { median } from './median.ts';
import type { Pair } from './paired.ts';
import type { Row } from './plan.ts';

export interface Sample extends LoadResult {
  peakRssBytes: number;
  cpuShare: number;
}
/** `cpus`: the cores the server was allowed, as Linux lists them (pin.ts). */
export type Measured = Row & { cpus?: string; samples: Sample[] };

const rate = (row: Measured) => median(row.samples.map((sample) => sample.requestsPerSecond));
const sameLoad = (a: Row, b: Row) =>
  a.group === b.group && a.shape.connections === b.shape.connections && a.shape.size === b.shape.size;

// Rows of one load run in turn (main.ts), so run i of a row and run i of its baseline saw the same
// machine: the ratio is the median of those per-run ratios, which noise between runs does not skew.
function ratioTo(row: Measured, baseline: Measured): number {
  const perRun = row.samples.map(
    (sample, run) => sample.requestsPerSecond / Math.max(baseline.samples[run]?.requestsPerSecond ?? 0, 1),
  );
  return median(perRun);
}

function baselineOf(row: Measured, all: Measured[]): Measured | undefined {
  return all.find((other) => other.subject.baseline && sameLoad(other, row));
}

/** The tables, then the contrasts, then `sections` already written (the capacity groups), then the targets. */
export function markdownReport(
  measured: Measured[],
  pairs: Pair[],
  contrasts: Contrast[],
  sections: (string | undefined)[] = [],
): string {
  const lines: string[] = [];
  for (const group of [...new Set(measured.map((row) => row.group))]) {
    lines.push('', `## ${group}`, '');
    lines.push(
      '| server | conns | size | req/s (median) | min–max | p50 ms | p99 ms | peak RSS MB | CPU % | vs baseline |',
    );
    lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const row of measured.filter((candidate) => candidate.group === group)) {
      const rates = row.samples.map((sample) => sample.requestsPerSecond);
      const baseline = baselineOf(row, measured);
      const ratio = baseline ? `${Math.round(100 * ratioTo(row, baseline))} %` : '';
      lines.push(
        `| ${row.subject.name} | ${row.shape.connections} | ${row.shape.size ?? ''} | ${Math.round(rate(row))} | ` +
          `${Math.round(Math.min(...rates))}–${Math.round(Math.max(...rates))} | ` +
          `${median(row.samples.map((s) => s.p50Ms)).toFixed(2)} | ${median(row.samples.map((s) => s.p99Ms)).toFixed(2)} | ` +
          `${(Math.max(...row.samples.map((s) => s.peakRssBytes)) / 1024 / 1024).toFixed(0)} | ` +
          `${Math.round(100 * median(row.samples.map((s) => s.cpuShare)))} | ${ratio} |`,
      );
    }
  }
  if (pairs.length > 0) {
    lines.push('', '## HTTP GET /, in pairs on one core (50 connections each)', '');
    lines.push('| server | against | ratio, each round | median |', '|---|---|---|---:|');
    for (const pair of pairs) {
      const rounds = pair.ratios.map((ratio) => `${Math.round(100 * ratio)} %`).join(', ');
      lines.push(`| ${pair.subject.name} | ${pair.against.name} | ${rounds} | ${Math.round(100 * pair.median)} % |`);
    }
  }
  if (contrasts.length > 0) {
    lines.push('', '## The lessons’ contrasts', '', '| contrast | first | second | ratio |', '|---|---:|---:|---:|');
    for (const contrast of contrasts) {
      const show = (side: Contrast['first']) =>
        `${side.label}: ${side.value.toFixed(contrast.unit === 'ms' ? 1 : 0)} ${contrast.unit}`;
      lines.push(
        `| ${contrast.name} | ${show(contrast.first)} | ${show(contrast.second)} | ${contrast.ratio.toFixed(1)} × |`,
      );
    }
  }
  for (const section of sections) if (section !== undefined) lines.push(section);
  lines.push('', '## Targets', '', '| target | measured | met |', '|---|---|---|');
  for (const target of targets(measured, pairs, contrasts)) {
    lines.push(`| ${target.target} | ${target.measured} | ${target.met ? 'yes' : 'no'} |`);
  }
  return lines.join('\n');
}

export interface Target {
  target: string;
  measured: string;
  met: boolean;
}

export function targets(measured: Measured[], pairs: Pair[], contrasts: Contrast[]): Target[] {
  const results: Target[] = [];
  // Where a pair was measured at once on one core (paired.ts), its median ratio is the figure; else the rows'.
  const paired = (name: string, against: string, minimum: number) => {
    const pair = pairs.find((p) => p.subject.name === name && p.against.name === against && name !== against);
    if (!pair) return false;
    const percent = 100 * pair.median;
    results.push({
      target: `${name}, paired on one core: at least ${minimum} % of ${against}`,
      measured: `${percent.toFixed(0)} %`,
      met: percent >= minimum,
    });
    return true;
  };
  const share = (name: string, group: string, minimum: number, connections = 50, against?: string) => {
    if (group === 'HTTP GET /' && paired(name, against ?? 'bare node:http', minimum)) return;
    for (const row of measured.filter(
      (r) => r.subject.name === name && r.group === group && r.shape.connections === connections,
    )) {
      const baseline = against
        ? measured.find((other) => other.subject.name === against && sameLoad(other, row))
        : baselineOf(row, measured);
      if (!baseline) continue;
      const percent = 100 * ratioTo(row, baseline);
      const size = row.shape.size ? `, ${row.shape.size} B` : '';
      results.push({
        target: `${name} at ${connections} connections${size}: at least ${minimum} % of ${baseline.subject.name}`,
        measured: `${percent.toFixed(0)} %`,
        met: percent >= minimum,
      });
    }
  };
  share('01-socket/echo-server', 'TCP echo', 90);
  // app's ceiling is Fastify itself, so it is held to bare node:http and to bare Fastify in the same run.
  share('04-framework/app (Fastify)', 'HTTP GET /', 80);
  share('04-framework/app (Fastify)', 'HTTP GET /', 95, 50, 'bare Fastify hello');
  share('04-framework/raw-server', 'HTTP GET /', 92);
  share('05-udp/udp-server', 'UDP echo', 90);
  // Logging by default must not cost the server its throughput: the default within 10 % of --quiet.
  for (const row of measured.filter((r) => r.subject.name === '05-udp/udp-server')) {
    const quiet = measured.find((r) => r.subject.name === `${row.subject.name} --quiet` && sameLoad(r, row));
    if (!quiet) continue;
    const percent = 100 * ratioTo(row, quiet);
    results.push({
      target: `${row.subject.name} at ${row.shape.connections} connections, ${row.shape.size} B: at least 90 % of --quiet`,
      measured: `${percent.toFixed(0)} %`,
      met: percent >= 90,
    });
  }
  // The generator proves it is not the limit: its ceiling well above the fastest server it drives.
  for (const ceiling of measured.filter((r) => r.subject.ceiling)) {
    const servers = measured.filter((r) => !r.subject.ceiling && sameLoad(r, ceiling));
    const fastest = servers.reduce((best, r) => (rate(r) > rate(best) ? r : best), servers[0] as Measured);
    if (!fastest) continue;
    const times = ratioTo(ceiling, fastest); // per run, like every ratio here
    results.push({
      target: `${ceiling.subject.name} at ${ceiling.shape.connections} connections: at least 1.5 × the fastest server (${fastest.subject.name})`,
      measured: `${times.toFixed(1)} ×`,
      met: times >= 1.5,
    });
  }
  const offload = contrasts.find((contrast) => contrast.name.startsWith('offload-server'));
  if (offload) {
    results.push({
      target: 'offload-server: /ping p99 at least 10 × lower pooled than inline',
      measured: `${offload.ratio.toFixed(1)} ×`,
      met: offload.ratio >= 10,
    });
  }
  const peakMiB = (row: Measured) => Math.max(...row.samples.map((sample) => sample.peakRssBytes)) / 2 ** 20;
  for (const row of measured.filter(
    (r) => r.group === 'TCP echo' && r.shape.connections === 500 && !r.subject.baseline,
  )) {
    results.push({
      target: `${row.subject.name}: under 100 MB RSS at 500 connections, ${row.shape.size} B`,
      measured: `${peakMiB(row).toFixed(0)} MB`,
      met: peakMiB(row) < 100,
    });
  }
  // Memory at 500 connections, held to what the program is built on: app to bare Fastify, the others to
  // bare Node. (The bare rows, the ceiling and Python are references, not held to anything.)
  for (const row of measured.filter(
    (r) =>
      r.shape.connections === 500 && !r.subject.name.startsWith('bare ') && !r.subject.ceiling && !r.subject.python,
  )) {
    const against = row.subject.name.includes('(Fastify)') ? 'bare Fastify hello' : undefined;
    const reference = against
      ? measured.find((other) => other.subject.name === against && sameLoad(other, row))
      : baselineOf(row, measured);
    if (!reference) continue;
    const percent = (100 * peakMiB(row)) / Math.max(peakMiB(reference), 1);
    const size = row.shape.size ? `, ${row.shape.size} B` : '';
    results.push({
      target: `${row.subject.name} at 500 connections${size}: peak RSS within 10 % of ${reference.subject.name}`,
      measured: `${peakMiB(row).toFixed(0)} MB, ${percent.toFixed(0)} %`,
      met: percent <= 110,
    });
  }
  return results;
}
