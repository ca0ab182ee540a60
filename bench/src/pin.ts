/**
 * The HTTP group runs each server on one core and wrk on another (Linux's `taskset`, from util-linux), where
 * the machine has two cores or more. Unpinned, the scheduler moves the server, its garbage collector's threads
 * and the generator between the cores, and whichever it favours in a given second swings a 1 s run by 10–15 %;
 * pinned, every server has a core to itself. (The machine's own drift between seconds remains; paired.ts
 * measures the targets so that it falls on both servers alike.)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

function tasksetWorks(): boolean {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The cores used, or undefined where nothing is pinned (one core, no taskset, not Linux). */
export const pinning =
  process.platform === 'linux' && availableParallelism() >= 2 && tasksetWorks()
    ? { server: '0', generator: '1' }
    : undefined;

/**
 * Moves every thread of a running server onto the server's core; threads it starts later inherit it. Each thread is
 * moved on its own, the main thread first: `taskset -a` fails as a whole when a thread it listed has ended before its
 * turn, as CI's Node 26 legs met twice. A thread that is gone needs no pinning.
 */
export function pinServer(pid: number): void {
  if (!pinning) return;
  const threads = readdirSync(`/proc/${pid}/task`).sort(
    (a, b) => Number(a !== String(pid)) - Number(b !== String(pid)),
  );
  for (const thread of threads) {
    try {
      execFileSync('taskset', ['-c', '-p', pinning.server, thread], { stdio: 'ignore' });
    } catch (error) {
      if (existsSync(`/proc/${pid}/task/${thread}`)) throw error;
    }
  }
}

/** The command line that runs the generator on its own core. */
export function onGeneratorCore(command: string, args: string[]): [string, string[]] {
  return pinning ? ['taskset', ['-c', pinning.generator, command, ...args]] : [command, args];
}

/** The cores a process may run on, as Linux lists them ("0", "0-1"), read back to show the pin took. */
export function allowedCpus(pid: number): string | undefined {
  try {
    return /^Cpus_allowed_list:\s+(\S+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  } catch {
    return undefined;
  }
}
