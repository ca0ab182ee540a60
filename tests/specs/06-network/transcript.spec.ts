import { it } from 'vitest';
import { describeLab } from '../../support/lab.ts';
import { expectReadmeTranscriptCurrent } from '../../support/transcript.ts';

// The README's transcript is the tour as root: where the lab cannot run, it is skipped (and fails in CI).
describeLab('transcript', () => {
  it(
    'the README shows what a fresh run of the tour prints',
    () => expectReadmeTranscriptCurrent('06-network'),
    120_000,
  );
});
