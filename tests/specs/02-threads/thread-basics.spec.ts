import { runProgram } from '@netprog/shared/program';
import { programFile } from '@netprog/shared/programs';
import { expect, it } from 'vitest';

const threadBasics = programFile('02-threads', 'thread-basics');

it('joins a worker that returns and one that throws, and carries on', async () => {
  const result = await runProgram(threadBasics, { args: ['--up-to', '3'] });
  expect(result.exitCode).toBe(0);
  expect(result.stderr).toBe('');
  expect(result.stdout).toBe(
    [
      'main: starting counter',
      '  counter added 1, sum 1',
      '  counter added 2, sum 3',
      '  counter added 3, sum 6',
      'main: joined counter: sum 6, exit code 0',
      'main: starting quitter',
      '  quitter added 1, sum 1',
      '  quitter added 2, sum 3',
      '  quitter added 3, sum 6',
      'main: joined quitter: threw "quitter gave up on purpose", exit code 1',
      'main thread still running',
      '',
    ].join('\n'),
  );
});

it('refuses a bad --up-to with exit 1 and one error line', async () => {
  const result = await runProgram(threadBasics, { args: ['--up-to', 'many'] });
  expect(result).toMatchObject({
    exitCode: 1,
    stderr: "error: --up-to must be an integer from 1 to 1000, got 'many'\n",
  });
});
