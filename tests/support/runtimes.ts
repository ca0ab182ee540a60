/**
 * For the specs that pin what differs between runtimes (specs/runtimes/): whether the examples now run on a runtime
 * that an entry of shared/src/runtime-differences.ts names, and that entry's line for it. A spec asserts the
 * behaviour of the runtime it meets, so when a runtime changes, the spec fails until the entry changes too.
 */
import { exampleRuntime } from '@netprog/shared/program';
import { type RuntimeDifference, runtimeDifferences } from '@netprog/shared/runtime-differences';

function entry(id: string): RuntimeDifference {
  const difference = runtimeDifferences.find((candidate) => candidate.id === id);
  if (!difference) throw new Error(`shared/src/runtime-differences.ts has no entry '${id}'`);
  return difference;
}

/** True when the examples run on a runtime that behaves otherwise than Node here. */
export function differsHere(id: string): boolean {
  return exampleRuntime !== 'node' && entry(id).on[exampleRuntime] !== undefined;
}

/** A test's title: the entry's id and what this runtime does, in the table's words. */
export function pinned(id: string): string {
  const { on } = entry(id);
  return `${id} on ${exampleRuntime}: ${(exampleRuntime !== 'node' && on[exampleRuntime]) || on.node}`;
}
