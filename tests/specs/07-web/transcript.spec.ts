import { it } from 'vitest';
import { describeBoard } from '../../support/board.ts';
import { expectReadmeTranscriptCurrent } from '../../support/transcript.ts';

// The README's transcript is the tour on a Node with node:sqlite; on an older one it is skipped, saying so.
describeBoard('transcript', () => {
  it('the README shows what a fresh run of the tour prints', () => expectReadmeTranscriptCurrent('07-web'), 120_000);
});
