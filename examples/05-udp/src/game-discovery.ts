/**
 * How game-client.ts finds a game on the local network (tutorial 003 §2.1): it joins the multicast group the servers
 * announce to (game-announce.ts) and, on the same port, listens for broadcasts, so it hears a server either way, and
 * joins the first one heard or lists those heard within --timeout. A TTL of 1 on the announcements keeps this to one
 * network: what it finds is on the local network, never past a router.
 */
import dgram from 'node:dgram';
import * as cli from './cli.ts';
import { broadcastAddress } from './game-announce.ts';
import { decode } from './game-protocol.ts';

export const discoveryFlags = {
  group: cli.text('239.255.77.77', 'multicast group the games are announced to', { value: 'ADDRESS' }),
  discoveryPort: cli.integer(9094, 'port the games are announced to', { value: 'PORT', max: 65535 }),
};

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
