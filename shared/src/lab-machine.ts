/**
 * Whether this machine can run 06-network's lab, and which lab namespaces exist on it. Apart from
 * lab.ts so that the suite's global teardown, which runs before any test worker, can use it.
 */
import { execaSync } from 'execa';

const has = (command: string) => execaSync('sh', ['-c', `command -v ${command}`], { reject: false }).exitCode === 0;

/** Why the lab cannot run on this machine, or undefined when it can. */
export const labProblem: string | undefined =
  process.platform !== 'linux'
    ? 'the lab needs Linux (network namespaces)'
    : process.getuid?.() !== 0
      ? 'the lab needs root: run the suite with sudo to include 06-network'
      : !has('ip') || !has('tc') || !has('bridge')
        ? 'the lab needs iproute2 (ip, tc, bridge): apt install iproute2'
        : !has('iptables-legacy') && !has('iptables')
          ? 'the lab needs iptables: apt install iptables'
          : !has('tcpdump')
            ? 'watch needs tcpdump: apt install tcpdump'
            : undefined;

/** Every lab namespace on the machine: lab<N>-<name>. */
export function labNamespaces(): string[] {
  const listed = execaSync('ip', ['netns', 'list'], { reject: false }).stdout;
  return listed
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((name) => /^lab\d+-/.test(name));
}
