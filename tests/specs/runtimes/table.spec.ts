/**
 * The runtime table's source (shared/src/runtime-differences.ts) holds together: every entry names real programs and
 * a spec that pins it, by id, or by transcript lines that the README's transcript really has. The tables written
 * from it are checked by generated.spec.ts, like every generated file.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { discoverPrograms, repoRoot } from '@netprog/shared/programs';
import { runtimeDifferences } from '@netprog/shared/runtime-differences';
import { readmeTranscript } from '@netprog/shared/tour/transcripts';
import { expect, it } from 'vitest';

const names = new Set(discoverPrograms().map((program) => program.name));

it.each(runtimeDifferences)('$id names real programs and a spec that pins it', (difference) => {
  expect(runtimeDifferences.filter((other) => other.id === difference.id)).toHaveLength(1);
  for (const program of difference.programs) expect(names.has(program), program).toBe(true);
  expect(Object.keys(difference.on).length, 'a line for Node and for at least one other runtime').toBeGreaterThan(1);
  const spec = path.join(repoRoot, difference.spec);
  expect(existsSync(spec), difference.spec).toBe(true);
  // Pinned by the tour, or shown there too: the lines a runtime does not print are in the README's transcript.
  for (const { area, ...onRuntimes } of difference.transcripts ?? []) {
    const readme = readmeTranscript(area)?.split('\n') ?? [];
    for (const lines of Object.values(onRuntimes)) {
      for (const line of lines.missing) expect(readme, `${area}'s README transcript`).toContain(line);
    }
  }
  if (/\/transcript\.spec\.ts$/.test(difference.spec)) expect(difference.transcripts?.length).toBeGreaterThan(0);
  else expect(readFileSync(spec, 'utf8')).toContain(`pinned('${difference.id}')`);
});
