import { expect, it } from 'vitest';
import { hasHaproxy, hasRedis, noHaproxy, noRedis } from '../../support/tools.ts';
import { expectReadmeTranscriptCurrent } from '../../support/transcript.ts';

// The tour's last act runs the room across two nodes, through a real Redis and HAProxy.
const missing = [hasRedis ? '' : noRedis, hasHaproxy ? '' : noHaproxy].filter(Boolean).join('; ');
if (missing && process.env.CI) it('plays the tour of 03-async', () => expect.fail(missing));

it.skipIf(missing !== '')(
  `the README shows what a fresh run of the tour prints${missing ? ` (skipped: ${missing})` : ''}`,
  () => expectReadmeTranscriptCurrent('03-async'),
);
