/**
 * The check behind each area's transcript spec: the README's "What you will see" block must be
 * what a fresh run of the tour's scenario prints. When it fails, run `npm run transcripts` and
 * review the diff. (One spec file per area, so the scenarios run in parallel workers.)
 */
import { scenarios } from '@netprog/shared/tour/scenarios';
import { freshTranscript, readmeTranscript } from '@netprog/shared/tour/transcripts';
import { expect } from 'vitest';

export async function expectReadmeTranscriptCurrent(area: string): Promise<void> {
  const scenario = scenarios.find((candidate) => candidate.area === area);
  expect(scenario, `the tour has no scenario for ${area}`).toBeDefined();
  const inReadme = readmeTranscript(area);
  expect(inReadme, `examples/${area}/README.md has no transcript block`).toBeDefined();
  if (scenario) expect(await freshTranscript(scenario)).toBe(inReadme);
}
