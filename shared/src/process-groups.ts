/**
 * Every program the kit starts leads its own process group, so one signal reaches the program and
 * everything it started (workers, children). This module remembers those groups so that a test,
 * the tour or a benchmark can make sure none of them outlives it.
 */
import { appendFileSync } from 'node:fs';

const groups = new Set<number>();
/**
 * Where the test run's global teardown looks for groups a crashed test worker could not end: a
 * worker that dies (a native crash, an unhandled error) never runs its own afterEach.
 */
const ledger = process.env.NETPROG_GROUP_LEDGER;

export function trackGroup(pgid: number): void {
  groups.add(pgid);
  if (ledger) appendFileSync(ledger, `${pgid}\n`);
}

/** Whether any process of the group still exists (a zombie not yet reaped counts). */
export function isGroupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** The tracked groups that still have a live process. */
export function liveGroups(): number[] {
  return [...groups].filter(isGroupAlive);
}

/**
 * Kills every tracked group that is still alive and waits, up to the deadline, until each is gone.
 * Returns the groups that had to be killed. Polling is how a process outside the tree learns that
 * a group is empty: there is no event for it.
 */
export async function killAllGroups(deadlineMs = 3000): Promise<number[]> {
  const killed = liveGroups();
  for (const pgid of killed) signalGroup(pgid, 'SIGKILL');
  const deadline = Date.now() + deadlineMs;
  while (liveGroups().length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  for (const pgid of groups) if (!isGroupAlive(pgid)) groups.delete(pgid);
  return killed;
}
