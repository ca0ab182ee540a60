/**
 * The lab's networks, as data, and the iproute2 and iptables commands that build one: exactly what
 * a learner would type by hand, in the order they would type it (06-network's README explains each
 * line). Every host and every switch is a network namespace of its own: a private copy of the
 * kernel's network stack, with its own interfaces, addresses, routes and firewall. A switch is a
 * Linux bridge; a cable is a veth pair, two interfaces where what enters one leaves the other.
 */

/** A network: a switch with its IPv4 /24 and IPv6 /64 (a ULA prefix: private, like 10/8). */
export interface Network {
  ipv4: string;
  ipv6: string;
}

export interface Host {
  /** The networks this host is plugged into, in order (eth0, eth1, …), and its number on each. */
  on: Array<{ network: string; number: number }>;
  /** The host that forwards this one's traffic to other networks. */
  gateway?: { ipv4: string; ipv6: string };
  /** Extra IPv6 routes: [prefix, via]. */
  routes6?: Array<[string, string]>;
  /** A router forwards between its networks; `nat` names the interface it masquerades behind. */
  router?: { nat?: string };
}

export interface Topology {
  about: string;
  networks: Record<string, Network>;
  hosts: Record<string, Host>;
}

export const topologies: Record<string, Topology> = {
  'two-hosts': {
    about: 'a and b on one switch (lan)',
    networks: { lan: { ipv4: '10.0.1', ipv6: 'fd06:1:' } },
    hosts: {
      a: { on: [{ network: 'lan', number: 10 }] },
      b: { on: [{ network: 'lan', number: 11 }] },
    },
  },
  'lan-wan': {
    about: 'a and b on a LAN; router r forwards and NATs to c on the WAN',
    networks: { lan: { ipv4: '10.0.1', ipv6: 'fd06:1:' }, wan: { ipv4: '10.0.2', ipv6: 'fd06:2:' } },
    hosts: {
      a: { on: [{ network: 'lan', number: 10 }], gateway: { ipv4: '10.0.1.1', ipv6: 'fd06:1::1' } },
      b: { on: [{ network: 'lan', number: 11 }], gateway: { ipv4: '10.0.1.1', ipv6: 'fd06:1::1' } },
      r: {
        on: [
          { network: 'lan', number: 1 },
          { network: 'wan', number: 1 },
        ],
        router: { nat: 'eth1' },
      },
      // c knows only its own network: it reaches the LAN's IPv4 hosts only through what r forwards.
      // IPv6 needs no NAT, so r simply routes the LAN's prefix, and c has a route to it.
      c: { on: [{ network: 'wan', number: 20 }], routes6: [['fd06:1::/64', 'fd06:2::1']] },
    },
  },
  // fopnp's playground (Foundations of Python Network Programming): two home networks with the
  // same private addresses, each behind a NAT router of its own, meeting only on the WAN.
  'two-lans': {
    about: 'a and b, both 10.0.1.10, on two LANs behind NAT routers r1 and r2, joined by a WAN',
    networks: {
      lan1: { ipv4: '10.0.1', ipv6: 'fd06:1:' },
      lan2: { ipv4: '10.0.1', ipv6: 'fd06:3:' },
      wan: { ipv4: '10.0.2', ipv6: 'fd06:2:' },
    },
    hosts: {
      a: { on: [{ network: 'lan1', number: 10 }], gateway: { ipv4: '10.0.1.1', ipv6: 'fd06:1::1' } },
      r1: {
        on: [
          { network: 'lan1', number: 1 },
          { network: 'wan', number: 1 },
        ],
        router: { nat: 'eth1' },
        routes6: [['fd06:3::/64', 'fd06:2::2']],
      },
      b: { on: [{ network: 'lan2', number: 10 }], gateway: { ipv4: '10.0.1.1', ipv6: 'fd06:3::1' } },
      r2: {
        on: [
          { network: 'lan2', number: 1 },
          { network: 'wan', number: 2 },
        ],
        router: { nat: 'eth1' },
        routes6: [['fd06:1::/64', 'fd06:2::1']],
      },
    },
  },
  // The chat room across machines (03-async, "One room across nodes"): a balancer, two chat nodes, Redis and a
  // host for the members, each a machine of its own, so a partition between a node and Redis is a firewall rule.
  'chat-room': {
    about: 'balancer lb, chat nodes n1 and n2, redis on db, members on c, all on one switch (lan)',
    networks: { lan: { ipv4: '10.0.1', ipv6: 'fd06:1:' } },
    hosts: {
      lb: { on: [{ network: 'lan', number: 10 }] },
      n1: { on: [{ network: 'lan', number: 11 }] },
      n2: { on: [{ network: 'lan', number: 12 }] },
      db: { on: [{ network: 'lan', number: 13 }] },
      c: { on: [{ network: 'lan', number: 20 }] },
    },
  },
};

/** Namespace names carry the lab's number, so two labs can run side by side: lab1-a, lab2-a. */
export const namespace = (lab: number, name: string) => `lab${lab}-${name}`;

/** A host's IPv4 and IPv6 address on its first network: what a learner connects to. */
export function addressOf(topology: Topology, host: string, family: 4 | 6 = 4): string | undefined {
  const plug = topology.hosts[host]?.on[0];
  const network = plug && topology.networks[plug.network];
  if (!plug || !network) return undefined;
  return family === 4 ? `${network.ipv4}.${plug.number}` : `${network.ipv6}:${plug.number}`;
}

/** The commands that build `topology` as lab number `lab`, one argument vector each. */
export function buildCommands(lab: number, topology: Topology, iptables: string): string[][] {
  const commands: string[][] = [];
  const ns = (name: string) => namespace(lab, name);
  // A switch: a namespace holding one bridge. Its ports are added as hosts are plugged in.
  for (const name of Object.keys(topology.networks)) {
    commands.push(['ip', 'netns', 'add', ns(name)]);
    commands.push(['ip', '-n', ns(name), 'link', 'add', 'name', 'br0', 'type', 'bridge']);
    commands.push(['ip', '-n', ns(name), 'link', 'set', 'dev', 'br0', 'up']);
  }
  for (const [name, host] of Object.entries(topology.hosts)) {
    commands.push(['ip', 'netns', 'add', ns(name)]);
    commands.push(['ip', '-n', ns(name), 'link', 'set', 'dev', 'lo', 'up']);
    // A cable unplugged (link down) would otherwise lose its IPv6 addresses for good.
    commands.push(['ip', 'netns', 'exec', ns(name), 'sysctl', '-qw', 'net.ipv6.conf.all.keep_addr_on_down=1']);
    host.on.forEach(({ network, number }, index) => {
      const { ipv4, ipv6 } = topology.networks[network] as Network;
      const eth = `eth${index}`;
      // The cable: one end is the switch's port (named after the host), the other the host's eth.
      commands.push(['ip', '-n', ns(network), 'link', 'add', 'name', name, 'type', 'veth', 'peer', 'name', eth]);
      commands.push(['ip', '-n', ns(network), 'link', 'set', 'dev', eth, 'netns', ns(name)]);
      commands.push(['ip', '-n', ns(network), 'link', 'set', 'dev', name, 'master', 'br0', 'up']);
      commands.push(['ip', '-n', ns(name), 'address', 'add', `${ipv4}.${number}/24`, 'dev', eth]);
      // nodad: use the IPv6 address at once instead of first checking for a duplicate for a second.
      commands.push(['ip', '-n', ns(name), 'address', 'add', `${ipv6}:${number}/64`, 'dev', eth, 'nodad']);
      commands.push(['ip', '-n', ns(name), 'link', 'set', 'dev', eth, 'up']);
    });
    if (host.gateway) {
      commands.push(['ip', '-n', ns(name), 'route', 'add', 'default', 'via', host.gateway.ipv4]);
      commands.push(['ip', '-n', ns(name), '-6', 'route', 'add', 'default', 'via', host.gateway.ipv6]);
    }
    for (const [prefix, via] of host.routes6 ?? []) {
      commands.push(['ip', '-n', ns(name), '-6', 'route', 'add', prefix, 'via', via]);
    }
    if (host.router) {
      const inside = ['ip', 'netns', 'exec', ns(name)];
      commands.push([...inside, 'sysctl', '-qw', 'net.ipv4.ip_forward=1', 'net.ipv6.conf.all.forwarding=1']);
      // NAT: what leaves by the WAN side carries the router's address, so replies come back to it.
      if (host.router.nat) {
        commands.push([
          ...inside,
          iptables,
          '-t',
          'nat',
          '-A',
          'POSTROUTING',
          '-o',
          host.router.nat,
          '-j',
          'MASQUERADE',
        ]);
      }
    }
  }
  return commands;
}
