/**
 * The run's safety net behind no-process-left.ts: every program a test starts is written to a
 * ledger, and at the end of the run any of those groups still alive (left by a test worker that
 * crashed before its afterEach could run) is killed by its group id and named, and the run fails.
 * Likewise any network namespace of 06-network's lab that the run made and did not remove, and
 * any change to the machine's own interfaces, routes or firewall.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { labNamespaces, labProblem, machineNetwork } from '@netprog/shared/lab-machine';
import { isGroupAlive, signalGroup } from '@netprog/shared/process-groups';
import { takeDown } from '../../examples/06-network/src/lab-system.ts';

export function setup(): () => void {
  const directory = mkdtempSync(path.join(tmpdir(), 'suite-groups-'));
  const ledger = path.join(directory, 'groups');
  // Set before the workers start, so each of them (and so trackGroup) sees it.
  process.env.NETPROG_GROUP_LEDGER = ledger;
  // This run's labs are numbered from a base of its own: another run's are none of its business.
  const labBase = 1000 * (1 + Math.floor(Math.random() * 98));
  process.env.NETPROG_LAB_BASE = String(labBase);
  const labNumber = (name: string) => Number(/^lab(\d+)-/.exec(name)?.[1]);
  const ours = (name: string) => Math.floor(labNumber(name) / 1000) * 1000 === labBase;
  const networkBefore = labProblem ? '' : machineNetwork();
  return async () => {
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
    const labsLeft = labProblem ? [] : labNamespaces().filter(ours);
    for (const number of new Set(labsLeft.map(labNumber))) await takeDown(number);
    if (labsLeft.length > 0)
      throw new Error(`the run left lab namespaces behind (removed now): ${labsLeft.join(', ')}`);
    // The lab lives in namespaces of its own: the machine's interfaces, routes and rules are as they were.
    const networkAfter = labProblem ? '' : machineNetwork();
    if (networkAfter !== networkBefore) {
      throw new Error(
        `the machine's own network changed during the run:\nbefore:\n${networkBefore}\nafter:\n${networkAfter}`,
      );
    }
  };
}
