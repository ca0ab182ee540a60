/**
 * The faults the lab can put on a host, each as the iptables, tc or ip commands that make it. Loss
 * is iptables' `statistic` match: `--mode random` drops a share, `--mode nth` drops exactly every
 * Nth packet (so a test can count). A bandwidth limit is tc's token bucket filter (tbf); delay
 * needs the kernel's netem, which not every kernel has. Firewall rules drop (the sender hears
 * nothing and times out) or reject (the sender is told at once: a TCP reset, or ICMP port unreachable).
 */
import { addressOf, type Host, type Topology } from './lab-topologies.ts';

/** Each fault: what it takes, and what it does. */
export const faultKinds: Record<string, [string, string]> = {
  loss: ['SHARE', 'drop a random share (0 to 1) of the packets arriving'],
  every: ['N', 'drop exactly every Nth packet arriving'],
  rate: ['RATE', 'limit what the host sends, e.g. 1mbit or 500kbit (tbf)'],
  delay: ['TIME', 'delay what the host sends, e.g. 100ms (netem, where the kernel has it)'],
  link: ['down|up', 'unplug the host, or plug it back'],
  mtu: ['BYTES', 'set the largest packet its interfaces send'],
  drop: ['PROTO:PORT', 'firewall: drop what arrives for that port, in silence'],
  reject: ['PROTO:PORT', 'firewall: refuse what arrives for that port'],
  forward: ['PROTO:PORT HOST:PORT', 'on a router: forward that port to a host inside (DNAT)'],
  cut: ['HOST', 'firewall: drop everything arriving from HOST, in silence (a partition between the two)'],
};

/** A fault that cannot be made: its message is the `error:` line. */
export class FaultError extends Error {}

function portSpec(text: string | undefined): [string, string] {
  const match = /^(tcp|udp):(\d{1,5})$/.exec(text ?? '');
  if (!match || Number(match[2]) < 1 || Number(match[2]) > 65535) {
    throw new FaultError(`expected tcp:PORT or udp:PORT, got '${text ?? ''}'`);
  }
  return [match[1] as string, match[2] as string];
}

/** The commands that put fault `kind` with `args` on `name`, run inside its namespace. */
export function faultCommands(topology: Topology, name: string, kind: string, args: string[], iptables: string) {
  const host = topology.hosts[name] as Host;
  const interfaces = host.on.map((_, index) => `eth${index}`);
  const [value = '', target] = args;
  // A router's traffic passes through FORWARD, not INPUT: a rule there acts on what it relays.
  const chains = host.router ? ['INPUT', 'FORWARD'] : ['INPUT'];
  // IPv6's neighbour discovery (its ARP) travels as ICMPv6: a lossy rule that dropped it would cut
  // the link, not thin it, so loss and firewall rules leave it alone.
  const both = (rule: string[]) =>
    chains.flatMap((chain) => [
      [iptables, '-A', chain, ...rule],
      [
        iptables.replace('iptables', 'ip6tables'),
        '-A',
        chain,
        ...(rule[0] === '-p' ? [] : ['!', '-p', 'ipv6-icmp']),
        ...rule,
      ],
    ]);
  switch (kind) {
    case 'loss':
      if (!/^(0(\.\d+)?|1)$/.test(value)) throw new FaultError(`loss takes a share from 0 to 1, got '${value}'`);
      return both(['-m', 'statistic', '--mode', 'random', '--probability', value, '-j', 'DROP']);
    case 'every': {
      if (!/^\d+$/.test(value) || Number(value) < 2) throw new FaultError(`every takes N of 2 or more, got '${value}'`);
      // --packet counts from 0, so N-1 drops the Nth, the 2Nth and so on.
      return both([
        '-m',
        'statistic',
        '--mode',
        'nth',
        '--every',
        value,
        '--packet',
        String(Number(value) - 1),
        '-j',
        'DROP',
      ]);
    }
    case 'rate':
      if (!/^\d+(kbit|mbit)$/.test(value))
        throw new FaultError(`rate takes a rate such as 1mbit or 500kbit, got '${value}'`);
      return interfaces.map((eth) => [
        'tc',
        'qdisc',
        'replace',
        'dev',
        eth,
        'root',
        'tbf',
        'rate',
        value,
        'burst',
        '32kbit',
        'latency',
        '400ms',
      ]);
    case 'delay':
      if (!/^\d+ms$/.test(value)) throw new FaultError(`delay takes a time such as 100ms, got '${value}'`);
      return interfaces.map((eth) => ['tc', 'qdisc', 'replace', 'dev', eth, 'root', 'netem', 'delay', value]);
    case 'link':
      if (value !== 'down' && value !== 'up') throw new FaultError(`link takes down or up, got '${value}'`);
      return interfaces.map((eth) => ['ip', 'link', 'set', 'dev', eth, value]);
    case 'mtu':
      if (!/^\d+$/.test(value) || Number(value) < 1280 || Number(value) > 9000) {
        throw new FaultError(`mtu takes a size from 1280 (IPv6's least) to 9000, got '${value}'`);
      }
      return interfaces.map((eth) => ['ip', 'link', 'set', 'dev', eth, 'mtu', value]);
    case 'drop':
    case 'reject': {
      const [protocol, port] = portSpec(value);
      // A TCP connection refused is a reset; anything else is refused with ICMP "port unreachable".
      const refusal =
        kind === 'drop' ? ['DROP'] : protocol === 'tcp' ? ['REJECT', '--reject-with', 'tcp-reset'] : ['REJECT'];
      return both(['-p', protocol, '--dport', port, '-j', ...refusal]);
    }
    case 'forward': {
      if (!host.router?.nat) throw new FaultError(`${name} is not a router: forward goes on one (r)`);
      const [protocol, port] = portSpec(value);
      const [inside, insidePort = port] = (target ?? '').split(':');
      // The host must be on the router's own LAN (its first network), or it is not "inside".
      const sameLan = topology.hosts[inside ?? '']?.on[0]?.network === host.on[0]?.network;
      const address = inside && inside !== name && sameLan ? addressOf(topology, inside) : undefined;
      const lan = host.on[0]?.network;
      if (!address)
        throw new FaultError(`forward needs HOST:PORT of a host on ${name}'s LAN (${lan}); got '${target ?? ''}'`);
      portSpec(`${protocol}:${insidePort}`);
      return [
        [
          iptables,
          '-t',
          'nat',
          '-A',
          'PREROUTING',
          '-i',
          host.router.nat,
          '-p',
          protocol,
          '--dport',
          port,
          '-j',
          'DNAT',
          '--to-destination',
          `${address}:${insidePort}`,
        ],
      ];
    }
    case 'cut': {
      // Both families, each with its own source rule: half a partition would let the other family through.
      const [ipv4, ipv6] = [addressOf(topology, value, 4), addressOf(topology, value, 6)];
      if (!ipv4 || !ipv6 || value === name) throw new FaultError(`cut needs another host of this lab, got '${value}'`);
      const ip6tables = iptables.replace('iptables', 'ip6tables');
      return chains.flatMap((chain) => [
        [iptables, '-A', chain, '-s', ipv4, '-j', 'DROP'],
        [ip6tables, '-A', chain, '-s', ipv6, '-j', 'DROP'],
      ]);
    }
    default:
      throw new FaultError(`no fault '${kind}'; the faults are: ${Object.keys(faultKinds).join(', ')}`);
  }
}

/** What `lab clear HOST` runs: every fault above undone, the topology's own NAT kept. */
export function clearCommands(topology: Topology, name: string, iptables: string): string[][] {
  const host = topology.hosts[name] as Host;
  const ip6tables = iptables.replace('iptables', 'ip6tables');
  return [
    [iptables, '-F', 'INPUT'],
    [iptables, '-F', 'FORWARD'],
    [ip6tables, '-F', 'INPUT'],
    [ip6tables, '-F', 'FORWARD'],
    [iptables, '-t', 'nat', '-F', 'PREROUTING'],
    ...host.on.flatMap((_, index) => [
      ['ip', 'link', 'set', 'dev', `eth${index}`, 'up', 'mtu', '1500'],
      // Deleting the root qdisc puts the default back; where there was none to delete, tc says so.
      ['tc', 'qdisc', 'del', 'dev', `eth${index}`, 'root'],
    ]),
  ];
}
