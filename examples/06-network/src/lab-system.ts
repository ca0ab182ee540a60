/**
 * How the lab runs its commands and finds what is up. It keeps no state file: what is up is what
 * `ip netns list` shows, so a run killed in the middle leaves nothing that `lab down` cannot find.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { setTimeout } from 'node:timers/promises';
import { namespace, type Topology, topologies } from './lab-topologies.ts';

/** A command that failed: its message names the command and what it printed. */
export class CommandError extends Error {}

/** Runs one command to the end (each takes milliseconds) and returns what it printed. */
export function run(command: string[], options: { show?: boolean } = {}): string {
  if (options.show) console.log(`$ ${command.join(' ')}`);
  const [file = '', ...args] = command;
  try {
    return execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 });
  } catch (error) {
    const { stderr, code } = error as { stderr?: string; code?: string };
    const said = code === 'ENOENT' ? `${file} is not installed` : (stderr ?? '').trim().split('\n')[0];
    throw new CommandError(`${command.join(' ')}: ${said || (error as Error).message}`);
  }
}

/** Runs `command` inside the namespace of `name`. */
export const inside = (lab: number, name: string, command: string[]) => [
  'ip',
  'netns',
  'exec',
  namespace(lab, name),
  ...command,
];

export function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((directory) => existsSync(path.join(directory, command)));
}

/**
 * The iptables to use. Each namespace has tables of its own, so the legacy backend (the kernel's
 * x_tables) is as good as nf_tables here, and it is the one every kernel has: some have no nf_tables.
 */
export const iptables = onPath('iptables-legacy') ? 'iptables-legacy' : 'iptables';

/** The namespaces of lab `lab`, switches and hosts, as `ip netns list` shows them. */
export function namespacesOf(lab: number): string[] {
  const prefix = namespace(lab, '');
  return run(['ip', 'netns', 'list'])
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((name) => name.startsWith(prefix))
    .sort();
}

/** The topology lab `lab` was built as, recognised by its namespaces; undefined if partly built. */
export function topologyOf(lab: number, present: string[]): [string, Topology] | undefined {
  const names = new Set(present);
  return Object.entries(topologies).find(([, topology]) => {
    const expected = [...Object.keys(topology.networks), ...Object.keys(topology.hosts)];
    return expected.length === names.size && expected.every((name) => names.has(namespace(lab, name)));
  });
}

/**
 * Takes the lab down: first what still runs on its hosts (a server left behind would keep its
 * namespace alive, unnamed, after the delete), with SIGTERM and after 3 s SIGKILL, then every
 * namespace. Deleting a namespace deletes its cables, bridge, addresses, routes and rules with it.
 */
export async function takeDown(lab: number, show = false): Promise<{ removed: string[]; stopped: number }> {
  const removed = namespacesOf(lab);
  const pids = removed.flatMap((name) => run(['ip', 'netns', 'pids', name]).split('\n').filter(Boolean).map(Number));
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  for (const pid of pids) process.kill(pid, 'SIGTERM');
  for (let waited = 0; waited < 3000 && pids.some(alive); waited += 50) await setTimeout(50);
  for (const pid of pids.filter(alive)) process.kill(pid, 'SIGKILL');
  for (const name of removed) run(['ip', 'netns', 'delete', name], { show });
  return { removed, stopped: pids.length };
}

/**
 * Waits, at most `timeoutMs`, until every host's cables are up. `ip link set … up` returns at once, but the
 * kernel reports a veth's carrier a moment later (its link watcher runs in the background), and until then the
 * interface reads "lowerlayerdown" and sends nothing.
 */
export async function linksUp(lab: number, topology: Topology, timeoutMs = 5000): Promise<void> {
  const links = (host: string) =>
    JSON.parse(run(['ip', '-j', '-n', namespace(lab, host), 'link', 'show']) || '[]') as Link[];
  const down = () =>
    Object.keys(topology.hosts).some((host) =>
      links(host).some(({ ifname, operstate }) => ifname !== 'lo' && operstate !== 'UP'),
    );
  for (let waited = 0; waited < timeoutMs && down(); waited += 50) await setTimeout(50);
}

interface Link {
  ifname: string;
  operstate: string;
}
