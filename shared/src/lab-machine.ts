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
      ? 'the lab needs root: run it with sudo, or the rootless way of 06-network/README.md'
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

/**
 * What the lab must never change: the machine's own interfaces, routes and firewall, as text.
 * The suite takes it before the run and compares it after.
 */
export function machineNetwork(): string {
  const read = (command: string, args: string[]) => execaSync(command, args, { reject: false }).stdout;
  const interfaces = (JSON.parse(read('ip', ['-j', 'link', 'show']) || '[]') as Array<{ ifname: string }>)
    .map(({ ifname }) => ifname)
    .sort();
  const firewall = has('iptables-legacy') ? read('iptables-legacy', ['-S']) : '';
  return [`interfaces: ${interfaces.join(' ')}`, read('ip', ['route']), read('ip', ['-6', 'route']), firewall].join(
    '\n',
  );
}
