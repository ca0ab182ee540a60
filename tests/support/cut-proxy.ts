/**
 * A TCP relay that can be cut, for a partition on loopback: while cut, nothing passes in either direction and
 * nobody is told (no reset, no FIN), as when a firewall drops a link's packets; new connections are accepted and
 * left silent. Once restored, whatever was held passes on, as TCP retransmits it after a real partition heals.
 * 06-network's lab does the same with a real firewall rule between real hosts.
 */
import net from 'node:net';

export interface CutProxy {
  port: number;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function cutProxy(target: net.NetConnectOpts): Promise<CutProxy> {
  let isCut = false;
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket)).on('error', () => {});
    if (isCut) socket.pause();
    return socket;
  };
  const server = net.createServer((client) => {
    const upstream = track(net.connect(target));
    track(client);
    client.pipe(upstream);
    upstream.pipe(client);
    // pipe() resumes a stream it reads from, so a connection made while cut is paused again.
    if (isCut) for (const socket of [client, upstream]) socket.pause();
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    cut() {
      isCut = true;
      for (const socket of sockets) socket.pause();
    },
    restore() {
      isCut = false;
      for (const socket of sockets) socket.resume();
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
