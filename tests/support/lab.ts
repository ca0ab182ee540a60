/**
 * How a 06-network spec runs the lab: where it cannot run (not Linux, not root, a tool missing)
 * its tests are skipped with the reason on a developer's machine, and fail with it in CI, which
 * runs as root. Every test that brings a lab up takes it down again and checks nothing is left.
 */
import { Lab, labProblem } from '@netprog/shared/lab';
import { afterEach, describe, expect, it } from 'vitest';

const labs: Lab[] = [];
const takeDownLabs = async () => {
  for (const lab of labs.splice(0)) await lab.down();
};

/** Brings a lab up for the current test; afterEach takes it down and checks none of it is left. */
export async function labFor(topology: string) {
  const lab = await Lab.up(topology);
  labs.push(lab);
  return lab;
}

/** A describe block that needs the lab: skipped with the reason where it cannot run, failed in CI. */
export function describeLab(name: string, body: () => void): void {
  if (labProblem && process.env.CI) {
    it(`${name}: runs the lab`, () => expect.fail(labProblem));
    return;
  }
  // The hook is registered here, once per spec file: this module is loaded once per test worker
  // (isolate: false), so a hook at its top level would serve only the first file that imported it.
  describe.skipIf(labProblem !== undefined)(`${name}${labProblem ? ` (skipped: ${labProblem})` : ''}`, () => {
    afterEach(takeDownLabs);
    body();
  });
}
