/**
 * The check behind each area's transcript spec: the README's "What you will see" block must be
 * what a fresh run of the tour's scenario prints, every command in it must be the one that ran,
 * and the area's programs must first appear in lesson order. When the block differs, run
 * `npm run transcripts` and review the diff. (One spec file per area, so the scenarios run in
 * parallel workers.)
 */
import { inLessonOrder } from '@netprog/shared/generated';
import { exampleRuntime, type Runtime } from '@netprog/shared/program';
import { repoRoot } from '@netprog/shared/programs';
import { runtimeDifferences, type TranscriptLines } from '@netprog/shared/runtime-differences';
import { scenarios } from '@netprog/shared/tour/scenarios';
import { playScene, readmeTranscript, transcriptBlock } from '@netprog/shared/tour/transcripts';
import { expect } from 'vitest';

export async function expectReadmeTranscriptCurrent(area: string): Promise<void> {
  const scenario = scenarios.find((candidate) => candidate.area === area);
  expect(scenario, `the tour has no scenario for ${area}`).toBeDefined();
  const inReadme = readmeTranscript(area);
  expect(inReadme, `examples/${area}/README.md has no transcript block`).toBeDefined();
  if (!scenario || inReadme === undefined) return;
  const scene = await playScene(scenario);
  if (exampleRuntime === 'node') expect(transcriptBlock(scene)).toBe(inReadme);
  else expectOnlyListedDifferences(area, inReadme, transcriptBlock(scene));

  for (const { shown, args, isolation } of scene.commands) {
    // Read back as a shell would, the shown words are the arguments that ran, with this run's ports
    // as the documented defaults; left out may only be flags that pick a free port.
    const words = shellSplit(
      shown.replace(/^\$ (printf '[^']*' \| )?(\w+=('[^']*'|\S+) )*node \S+ ?/, '').replace(/ < \/dev\/null$/, ''),
    );
    expect(words, shown).toEqual(args.map((arg) => scene.shownArg(arg)));
    expect(
      isolation.filter((_, index) => index % 2 === 0).every((flag) => /^--[\w-]*port$/.test(flag)),
      shown,
    ).toBe(true);
  }

  const firstShown = [
    ...inReadme.matchAll(new RegExp(`^\\S+ +\\$ [^\\n]*?node examples/${area}/src/([\\w-]+)\\.ts`, 'gm')),
  ]
    .map((match) => match[1])
    .filter((name, index, names) => names.indexOf(name) === index);
  const lessonOrder = inLessonOrder(area).map((program) => program.name);
  expect(firstShown, 'the tour shows the programs in the order of package.json scripts').toEqual(
    lessonOrder.filter((name) => firstShown.includes(name)),
  );
}

/**
 * On Bun or Deno the fresh transcript may differ from Node's README block only by the lines that
 * runtime-differences.ts lists for this runtime: each difference's lines gone and lines added, in
 * any order (a runtime may interleave two programs' output differently).
 */
function expectOnlyListedDifferences(area: string, inReadme: string, fresh: string): void {
  const runtime = exampleRuntime as Exclude<Runtime, 'node'>;
  const readmeLines = inReadme.split('\n');
  // Deno colours its own error lines even into a pipe; the README shows text.
  const freshLines = fresh
    .replaceAll(repoRoot, '<repo>/')
    .replace(/\x1b\[[0-9;]*m/g, '')
    .split('\n');
  const missing = without(readmeLines, freshLines);
  const added = without(freshLines, readmeLines);
  // A difference that shows only sometimes (a race the runtime loses now and then) counts when all its lines show.
  const happened = (lines: TranscriptLines) =>
    lines.missing.every((line) => missing.includes(line)) && lines.added.every((line) => added.includes(line));
  const listed = runtimeDifferences.flatMap(({ transcripts = [] }) =>
    transcripts.flatMap((transcript) => {
      const lines = transcript.area === area ? transcript[runtime] : undefined;
      return lines && (!lines.sometimes || happened(lines)) ? [lines] : [];
    }),
  );
  expect(
    { missing, added },
    `the transcript on ${runtime} against the README's, line by line (runtime-differences.ts lists what may differ)`,
  ).toEqual({
    missing: listed.flatMap((lines) => lines.missing).sort(),
    added: listed.flatMap((lines) => lines.added).sort(),
  });
}

/** The lines of `from` left after taking away one of each line in `taken`, sorted. */
function without(from: string[], taken: string[]): string[] {
  const left = [...from];
  for (const line of taken) {
    const index = left.indexOf(line);
    if (index !== -1) left.splice(index, 1);
  }
  return left.sort();
}

/** Splits a command line the way a shell would, for the quoting shellWords() writes (single quotes). */
function shellSplit(line: string): string[] {
  return [...line.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map(([, quoted, plain]) =>
    quoted === undefined ? (plain ?? '') : quoted.replace(/'\\''/g, "'"),
  );
}
