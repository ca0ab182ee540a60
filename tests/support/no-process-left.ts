/**
 * Runs after every test: any program a test left running is killed with its whole process group,
 * and the test fails if a process of any group it started is still alive afterwards.
 */
import { killAllGroups, liveGroups } from '@netprog/shared/process-groups';
import { afterEach, expect } from 'vitest';

afterEach(async () => {
  await killAllGroups();
  expect(liveGroups(), 'process groups still alive after the test').toEqual([]);
});
