/**
 * Each example README's "What you will see" block must be what a fresh run of the tour's
 * scenario prints. When this fails, run `npm run transcripts` and review the diff.
 */
import { scenarios } from '@netprog/shared/tour/scenarios';
import { freshTranscript, readmeTranscript } from '@netprog/shared/tour/transcripts';
import { expect, it } from 'vitest';

it.each(scenarios.map((scenario) => [scenario.area, scenario] as const))(
  'the %s README shows what a fresh run prints',
  async (area, scenario) => {
    const inReadme = readmeTranscript(area);
    expect(inReadme, `examples/${area}/README.md has no transcript block`).toBeDefined();
    expect(await freshTranscript(scenario)).toBe(inReadme);
  },
);
