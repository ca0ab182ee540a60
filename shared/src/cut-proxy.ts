/**
 * A TCP relay that can be cut, for a partition on loopback: while cut, nothing passes in either direction and
 * nobody is told (no reset, no FIN), as when a firewall drops a link's packets; new connections are accepted and
 * left silent. Once restored, whatever was held passes on, as TCP retransmits it after a real partition heals.
 * Cut with `reset`, the link breaks instead, as when a firewall rejects with a TCP reset: every connection is reset
 * and so is every new one until it is restored.
 */
import net from 'node:net';

export interface CutProxy {
  port: number;
  cut(options?: { reset?: boolean }): void;
  /** Resolves once `count` connections have been reset since the cut (retries that found the link broken). */
  resets(count: number): Promise<void>;
  restore(): void;
  close(): Promise<void>;
}

export async function cutProxy(target: net.NetConnectOpts): Promise<CutProxy> {
  let isCut = false;
  let resetting = false;
  let resetCount = 0;
  const waiters = new Set<() => void>();
  const accepted = new WeakSet<net.Socket>(); // the TCP side, which can be reset (the upstream may be a Unix socket)
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket)).on('error', () => {});
    if (isCut) socket.pause();
    return socket;
  };
  const server = net.createServer((client) => {
    if (resetting) {
      resetCount++;
      for (const waiter of [...waiters]) waiter();
      return void client.on('error', () => {}).resetAndDestroy();
    }
    const upstream = track(net.connect(target));
    track(client);
    accepted.add(client);
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
    resets(count) {
      return new Promise((resolve) => {
        const check = () => {
          if (resetCount < count) return;
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
      });
    },
    cut({ reset = false } = {}) {
      isCut = true;
      resetCount = 0;
      resetting = reset;
      for (const socket of sockets) {
        if (reset && accepted.has(socket)) socket.resetAndDestroy();
        else if (reset) socket.destroy();
        else socket.pause();
      }
    },
    restore() {
      isCut = false;
      resetting = false;
      for (const socket of sockets) socket.resume();
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
