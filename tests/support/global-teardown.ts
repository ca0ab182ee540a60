/**
 * The run's safety net behind no-process-left.ts: every program a test starts is written to a
 * ledger, and at the end of the run any of those groups still alive (left by a test worker that
 * crashed before its afterEach could run) is killed by its group id and named, and the run fails.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isGroupAlive, signalGroup } from '@netprog/shared/process-groups';

export function setup(): () => void {
  const directory = mkdtempSync(path.join(tmpdir(), 'suite-groups-'));
  const ledger = path.join(directory, 'groups');
  // Set before the workers start, so each of them (and so trackGroup) sees it.
  process.env.NETPROG_GROUP_LEDGER = ledger;
  return () => {
    let started: number[] = [];
    try {
      started = readFileSync(ledger, 'utf8').split('\n').filter(Boolean).map(Number);
    } catch {
      // No program was started.
    }
    rmSync(directory, { recursive: true, force: true });
    const left = started.filter(isGroupAlive);
    for (const pgid of left) signalGroup(pgid, 'SIGKILL');
    if (left.length > 0)
      throw new Error(`programs outlived the run (a test worker crashed?); killed groups ${left.join(', ')}`);
  };
}
