/**
 * Heap snapshots for `npm run bench -- --soak <minutes> --heap`: each Node server starts with
 * `--heapsnapshot-signal=SIGUSR2`, and the soak takes one snapshot after a quarter of the run and one at
 * fifteen sixteenths, under the same traffic. Writing a snapshot first runs a full garbage collection, so a
 * snapshot counts only what is still reachable: unlike RSS, which also holds the collector's spare
 * room and the allocator's free pages, live bytes that grow between the two snapshots are a leak.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** The environment that lets a Node server write a snapshot, into `dir`, when sent SIGUSR2. */
export function snapshotEnv(dir: string): Record<string, string> {
  return {
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${dir}`.trim(),
  };
}

/** Asks `pid` for a snapshot and waits until it is written whole; returns its file. */
export async function takeSnapshot(pid: number, dir: string, timeoutMs = 120_000): Promise<string> {
  const before = new Set(readdirSync(dir));
  process.kill(pid, 'SIGUSR2');
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    await sleep(250);
    const file = readdirSync(dir).find((name) => !before.has(name) && name.includes(`.${pid}.`));
    if (file === undefined) continue;
    const full = path.join(dir, file);
    const size = statSync(full).size;
    // A snapshot is one JSON object; it is whole once it ends with its closing brace and stops growing.
    await sleep(250);
    if (size > 0 && statSync(full).size === size && readFileSync(full).subarray(-2).toString().endsWith('}'))
      return full;
  }
  throw new Error(`no heap snapshot from ${pid} within ${timeoutMs} ms`);
}

export interface HeapSummary {
  liveBytes: number;
  /** Bytes by kind: an object's constructor name, or the node type (string, code, array …). */
  byKind: Map<string, { count: number; bytes: number }>;
}

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
  nodes: number[];
  strings: string[];
}

/** Reads a .heapsnapshot (V8's JSON format) and sums its nodes' own sizes, by kind. */
export function summarise(file: string): HeapSummary {
  const heap = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const fields = heap.snapshot.meta.node_fields;
  const types = heap.snapshot.meta.node_types[0];
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((field) => fields.indexOf(field)) as [
    number,
    number,
    number,
  ];
  const byKind = new Map<string, { count: number; bytes: number }>();
  let liveBytes = 0;
  for (let i = 0; i < heap.nodes.length; i += fields.length) {
    const type = types[heap.nodes[i + typeAt] as number] ?? '?';
    const bytes = heap.nodes[i + sizeAt] as number;
    const kind =
      type === 'object' || type === 'closure' ? (heap.strings[heap.nodes[i + nameAt] as number] ?? '?') : `(${type})`;
    const entry = byKind.get(kind) ?? { count: 0, bytes: 0 };
    entry.count++;
    entry.bytes += bytes;
    byKind.set(kind, entry);
    liveBytes += bytes;
  }
  return { liveBytes, byKind };
}

/** The kinds that grew most between two snapshots, as "name +N objects, +K KiB". */
export function grewMost(early: HeapSummary, late: HeapSummary, most = 3): string[] {
  return [...late.byKind]
    .map(([kind, entry]) => {
      const before = early.byKind.get(kind) ?? { count: 0, bytes: 0 };
      return { kind, count: entry.count - before.count, bytes: entry.bytes - before.bytes };
    })
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, most)
    .filter((entry) => entry.bytes > 0)
    .map(
      (entry) => `${entry.kind} ${entry.count >= 0 ? '+' : ''}${entry.count}, +${(entry.bytes / 1024).toFixed(0)} KiB`,
    );
}
