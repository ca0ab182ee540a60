/**
 * Finding a game on the local network, for game-server.ts and game-client.ts (tutorial 003 §2.1: broadcast and
 * multicast). A server announces itself every second by multicast: one datagram to a group address (239.255.77.77,
 * from the block kept for an organisation's own use) that every host which joined the group receives, and no other.
 * A TTL of 1 keeps it from crossing a router. Where multicast is dropped (many Wi-Fi access points do), --broadcast
 * sends to the network's broadcast address instead, which every host on that network receives. A client listens
 * both ways at once. Announcements are not authenticated: anyone on the network can announce a game.
 */
import dgram from 'node:dgram';
import os from 'node:os';
import * as cli from './cli.ts';
import { decode } from './game-protocol.ts';

export const discoveryFlags = {
  group: cli.text('239.255.77.77', 'multicast group the games are announced to', { value: 'ADDRESS' }),
  discoveryPort: cli.integer(9094, 'port the games are announced to', { value: 'PORT', max: 65535 }),
};

/** The broadcast address of the network an interface is on: 127.0.0.1 (a /8) gives 127.255.255.255. */
function broadcastAddress(interfaceAddress: string): string {
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

interface FoundGame {
  address: string;
  port: number;
  name: string;
  players: number;
  maxPlayers: number;
  by: 'multicast' | 'broadcast';
}

/**
 * Client side: joins the group on the interface and listens for broadcasts on the same port. With
 * port 0 the system picks one, which the announcing server must then be told. Resolves once both
 * sockets are bound, with the port and a function that stops listening.
 */
async function listenForGames(
  how: { group: string; port: number; via: string },
  found: (game: FoundGame) => void,
): Promise<[number, () => void]> {
  const bind = async (address: string, port: number, by: FoundGame['by']) => {
    const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
    socket.on('message', (datagram, sender) => {
      const message = decode(datagram);
      if (message?.type === 'announce') found({ ...message, address: sender.address, port: sender.port, by });
    });
    await new Promise<void>((resolve) => {
      socket.once('error', (error) => cli.fail(`cannot listen on ${address}:${port}: ${cli.explain(error)}`));
      // Bound to the group's (or the broadcast) address, a socket receives only what is sent there.
      socket.bind({ address, port }, resolve);
    });
    socket.on('error', (error) => console.error(`error: ${cli.explain(error)}`));
    return socket;
  };
  const multicast = await bind(how.group, how.port, 'multicast');
  try {
    multicast.addMembership(how.group, how.via === '0.0.0.0' ? undefined : how.via);
  } catch (error) {
    cli.fail(`cannot join ${how.group} via ${how.via}: ${cli.explain(error as NodeJS.ErrnoException)}`);
  }
  const port = multicast.address().port;
  const broadcast = await bind(broadcastAddress(how.via), port, 'broadcast');
  const stop = () => {
    multicast.close();
    broadcast.close();
  };
  return [port, stop];
}

/**
 * game-client --discover: listens for --timeout, printing each game found once, and resolves with the
 * first one (or, to list them, with none once the time is up). Exits with an error line if none came.
 */
export async function findGame(how: {
  group: string;
  discoveryPort: number;
  via: string;
  timeout: number;
  list: boolean;
}): Promise<FoundGame | undefined> {
  const found = new Map<string, FoundGame>();
  let resolve: (game: FoundGame | undefined) => void = () => {};
  const promise = new Promise<FoundGame | undefined>((settle) => {
    resolve = settle;
  });
  const [port, stop] = await listenForGames({ ...how, port: how.discoveryPort }, (game) => {
    const where = `${game.address}:${game.port}`;
    if (found.has(where)) return;
    found.set(where, game);
    console.log(`found ${game.name} at ${where} (${game.players} of ${game.maxPlayers} players, by ${game.by})`);
    if (!how.list) resolve(game);
  });
  console.log(`looking for games on ${how.group}:${port} and ${broadcastAddress(how.via)}:${port} via ${how.via}`);
  const timer = setTimeout(resolve, how.timeout, undefined);
  const game = await promise;
  clearTimeout(timer);
  stop();
  if (found.size === 0) cli.fail(`no game announced within ${how.timeout} ms`);
  return game;
}
