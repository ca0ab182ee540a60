import { it } from 'vitest';
import { expectReadmeTranscriptCurrent } from '../../support/transcript.ts';

it('the README shows what a fresh run of the tour prints', () => expectReadmeTranscriptCurrent('04-framework'));
