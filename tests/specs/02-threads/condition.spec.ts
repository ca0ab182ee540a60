import { runProgram } from '@netprog/shared/program';
import { programFile } from '@netprog/shared/programs';
import { expect, it } from 'vitest';

const condition = programFile('02-threads', 'condition');

it.each([
  ['2 producers, 2 consumers, a queue of 8', ['--items', '50000']],
  [
    '3 producers, 1 consumer, a queue of 1',
    ['--producers', '3', '--consumers', '1', '--capacity', '1', '--items', '5000'],
  ],
  [
    '1 producer, 4 consumers, a queue of 3',
    ['--producers', '1', '--consumers', '4', '--capacity', '3', '--items', '20000'],
  ],
])('%s: nothing lost, nothing duplicated', async (_, args) => {
  const result = await runProgram(condition, { args });
  expect(result.stderr).toBe('');
  expect(result.exitCode).toBe(0);
  const produced = /^produced: (\d+) items by \d+ producer\(s\), sum (\d+)$/m.exec(result.stdout);
  const consumed = /^consumed: (\d+) items by \d+ consumer\(s\), sum (\d+)$/m.exec(result.stdout);
  expect(produced?.slice(1)).toEqual(consumed?.slice(1));
  expect(result.stdout).toMatch(/^queue of \d+: producers waited \d+ times, consumers \d+ times$/m);
  expect(result.stdout).toMatch(/every item consumed exactly once\n$/);
});
