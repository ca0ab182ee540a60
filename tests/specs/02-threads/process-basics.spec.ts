import { runProgram, spawnProgram } from '@netprog/shared/program';
import { programFile } from '@netprog/shared/programs';
import { expect, it } from 'vitest';

const processBasics = programFile('02-threads', 'process-basics');

it('talks to a child over IPC, reads its exit code, and leaves no orphan behind', async () => {
  const result = await runProgram(processBasics, { args: ['--join-timeout', '300'] });
  expect(result.exitCode).toBe(0);
  expect(result.stderr).toBe('');
  const lines = result.stdout.trimEnd().split('\n');
  expect(lines).toEqual([
    expect.stringMatching(/^parent: forked a child \(pid \d+\)$/),
    'child → parent: {"result":49}',
    'parent: child exited with code 3',
    expect.stringMatching(/^parent: forked a child \(pid \d+\)$/),
    'child → parent: {"working":30000}',
    'parent: join timed out after 300 ms; exiting without the child',
    expect.stringMatching(/^child \d+: parent gone, exiting$/),
  ]);
  // The busy child was to work for 30 s; it exited with its parent instead.
  expect(result.groupLeftAlive).toBe(false);
});

it('a child exits by itself when its parent is killed with SIGKILL', async () => {
  const program = spawnProgram(processBasics, { args: ['--join-timeout', '20000'] });
  await program.waitForLine(/^child → parent: \{"working":30000\}$/);
  program.signal('SIGKILL'); // the parent only, as the kernel's OOM killer would
  const result = await program.exited;
  expect(result.signal).toBe('SIGKILL');
  expect(result.groupLeftAlive).toBe(false);
});
