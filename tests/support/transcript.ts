/**
 * The check behind each area's transcript spec: the README's "What you will see" block must be
 * what a fresh run of the tour's scenario prints, every command in it must be the one that ran,
 * and the area's programs must first appear in lesson order. When the block differs, run
 * `npm run transcripts` and review the diff. (One spec file per area, so the scenarios run in
 * parallel workers.)
 */
import { inLessonOrder } from '@netprog/shared/generated';
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
  expect(transcriptBlock(scene)).toBe(inReadme);

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

/** Splits a command line the way a shell would, for the quoting shellWords() writes (single quotes). */
function shellSplit(line: string): string[] {
  return [...line.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map(([, quoted, plain]) =>
    quoted === undefined ? (plain ?? '') : quoted.replace(/'\\''/g, "'"),
  );
}
