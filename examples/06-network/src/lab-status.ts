/**
 * `lab status`: what the kernel says of each namespace, read back with the same tools a learner
 * would use (`ip -j` for JSON, `iptables -S`, `tc`, `bridge mdb`), never from what the lab meant to
 * build. So a fault made by hand inside a host shows up too.
 */
import { inside, iptables, run } from './lab-system.ts';
import { namespace, type Topology } from './lab-topologies.ts';

interface Address {
  ifname: string;
  operstate: string;
  mtu: number;
  addr_info: Array<{ local: string; prefixlen: number; scope: string }>;
}
interface Route {
  dst: string;
  gateway?: string;
  dev: string;
  protocol?: string;
}

const json = <T>(command: string[]): T[] => JSON.parse(run(command) || '[]') as T[];

export function printStatus(lab: number, topology: Topology, { brief }: { brief: boolean }): void {
  for (const [name, host] of Object.entries(topology.hosts)) {
    const ns = namespace(lab, name);
    const interfaces = json<Address>(['ip', '-j', '-n', ns, 'address', 'show'])
      .filter(({ ifname }) => ifname !== 'lo')
      .sort((one, other) => one.ifname.localeCompare(other.ifname));
    for (const [index, { ifname, operstate, mtu, addr_info }] of interfaces.entries()) {
      // Link-local addresses (fe80::) exist on every interface and reach no further than its cable.
      const addresses = addr_info.filter(({ scope }) => scope === 'global').map((a) => `${a.local}/${a.prefixlen}`);
      const state = [operstate === 'UP' ? '' : operstate.toLowerCase(), mtu === 1500 ? '' : `mtu ${mtu}`];
      const line = [ifname, ...addresses, `on ${host.on[index]?.network}`, ...state].filter(Boolean).join(' ');
      console.log(`${index === 0 ? name.padEnd(4) : '    '} ${line}`);
    }
    if (brief) continue;
    const routes = [
      ...json<Route>(['ip', '-j', '-n', ns, 'route']),
      ...json<Route>(['ip', '-j', '-n', ns, '-6', 'route']),
    ];
    // The routes the kernel adds for each address (proto kernel) say only "this network is on this cable".
    const chosen = routes.filter(
      ({ protocol, dst }) => protocol !== 'kernel' && !dst.startsWith('fe80') && dst !== 'multicast',
    );
    const shown = chosen.map(({ dst, gateway, dev }) => `${dst}${gateway ? ` via ${gateway}` : ''} (${dev})`);
    console.log(`     routes: ${shown.join(', ') || 'none beyond its own networks'}`);
    // -v adds each rule's counters (-c PACKETS BYTES): how many packets it has matched so far.
    const listed = (table: string[], prefix: string) =>
      run(inside(lab, name, [...table, '-v', '-S']))
        .split('\n')
        .filter((rule) => rule.startsWith('-A '))
        .map((rule) => {
          const matched = / -c (\d+) \d+/.exec(rule)?.[1];
          return `${prefix}${rule.replace(/ -c \d+ \d+/, '')} (${matched} matched)`;
        });
    const rules = [
      ...listed([iptables], ''),
      ...listed([iptables, '-t', 'nat'], '-t nat '),
      ...listed([iptables.replace('iptables', 'ip6tables')], '(IPv6) '),
    ];
    for (const rule of rules) console.log(`     firewall: ${rule}`);
    for (const line of run(['tc', '-n', ns, 'qdisc', 'show']).split('\n')) {
      if (/ (tbf|netem) /.test(line)) console.log(`     shaping: ${line.trim()}`);
    }
  }
  if (brief) return;
  for (const network of Object.keys(topology.networks)) {
    const ns = namespace(lab, network);
    const ports = json<{ ifname: string }>(['ip', '-j', '-n', ns, 'link', 'show', 'master', 'br0']).map(
      (port) => port.ifname,
    );
    // The switch learns which ports asked for which multicast group (IGMP/MLD snooping). IPv6's
    // own link-local groups (ff02::, neighbour discovery's) are joined by every host: not shown.
    const groups = json<{ mdb: Array<{ port: string; grp: string }> }>(['bridge', '-j', '-n', ns, 'mdb', 'show'])
      .flatMap((bridge) => bridge.mdb)
      .filter(({ port, grp }) => port !== 'br0' && !/^ff0[25]:/.test(grp))
      .map(({ port, grp }) => `${grp} (${port})`);
    console.log(
      `${network.padEnd(4)} switch, ports ${ports.join(' ')}; multicast groups joined: ${groups.join(', ') || 'none'}`,
    );
  }
}
