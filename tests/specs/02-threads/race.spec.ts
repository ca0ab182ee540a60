import { runProgram } from '@netprog/shared/program';
import { programFile } from '@netprog/shared/programs';
import { expect, it } from 'vitest';

const race = programFile('02-threads', 'race');

it('the synchronized strategies are exact every time; the unsynchronized one loses updates', async () => {
  const runs = [];
  for (let run = 0; run < 3; run++) {
    const result = await runProgram(race, { args: ['--workers', '4', '--increments', '200000'] });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^atomics: 800000 of 800000$/m);
    expect(result.stdout).toMatch(/^lock: 800000 of 800000$/m);
    const unsynchronized = /^unsynchronized: (\d+) of 800000$/m.exec(result.stdout)?.[1];
    expect(unsynchronized).toBeDefined();
    runs.push(Number(unsynchronized));
  }
  // The lesson must be real: without synchronization, updates are lost (here in every run so far;
  // the assertion asks for at least one of three).
  expect(runs.some((count) => count < 800000)).toBe(true);
});
