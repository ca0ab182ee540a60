/**
 * How game-server.ts announces itself on the local network (tutorial 003 §2.1: broadcast and multicast): every second
 * one datagram to a multicast group address (239.255.77.77, from the block kept for an organisation's own use) that
 * every host which joined the group receives, and no other. A TTL of 1 keeps it from crossing a router. Where
 * multicast is dropped (many Wi-Fi access points do), --broadcast sends to the network's broadcast address instead,
 * which every host on that network receives. Announcements are not authenticated: anyone on the network can announce.
 */
import type dgram from 'node:dgram';
import os from 'node:os';
import * as cli from './cli.ts';

/** The broadcast address of the network an interface is on: 127.0.0.1 (a /8) gives 127.255.255.255. */
export function broadcastAddress(interfaceAddress: string): string {
  if (interfaceAddress === '0.0.0.0') return '255.255.255.255';
  const found = Object.values(os.networkInterfaces())
    .flat()
    .find((entry) => entry?.family === 'IPv4' && entry.address === interfaceAddress);
  if (!found) cli.fail(`no network interface has the address ${interfaceAddress}`);
  const toNumber = (dotted: string) => dotted.split('.').reduce((sum, part) => sum * 256 + Number(part), 0);
  const broadcast = (toNumber(interfaceAddress) | ~toNumber(found.netmask)) >>> 0;
  return [24, 16, 8, 0].map((shift) => (broadcast >>> shift) & 0xff).join('.');
}

interface Announcing {
  group: string;
  discoveryPort: number;
  /** The local address of the interface to send on. */
  via: string;
  broadcast: boolean;
  announceEvery: number;
}

/**
 * Announces from the game's own socket, so an announcement's source address and port are where to
 * join. Returns a line saying how, and a function that stops announcing.
 */
export function announce(socket: dgram.Socket, how: Announcing, announcement: () => Buffer): [string, () => void] {
  const destination = how.broadcast ? broadcastAddress(how.via) : how.group;
  try {
    if (how.broadcast) socket.setBroadcast(true);
    else socket.setMulticastTTL(1);
    if (!how.broadcast && how.via !== '0.0.0.0') socket.setMulticastInterface(how.via);
  } catch (error) {
    cli.fail(`cannot announce to ${destination} via ${how.via}: ${cli.explain(error as NodeJS.ErrnoException)}`);
  }
  let warned = false;
  const send = () =>
    socket.send(announcement(), how.discoveryPort, destination, (error) => {
      if (error && !warned) console.error(`error: cannot announce to ${destination}: ${cli.explain(error)}`);
      warned ||= error !== null;
    });
  send();
  const timer = setInterval(send, how.announceEvery);
  const kind = how.broadcast ? 'broadcast' : 'multicast (TTL 1)';
  return [
    `announcing by ${kind} to ${destination}:${how.discoveryPort} via ${how.via} every ${how.announceEvery} ms`,
    () => clearInterval(timer),
  ];
}
