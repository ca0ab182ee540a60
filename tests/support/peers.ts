/**
 * Peers for the client specs: a TCP port where nothing listens, and a server that accepts
 * connections and never answers.
 */
import net from 'node:net';

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

/** A port that was free a moment ago: connecting to it is refused. */
export async function closedTcpPort(): Promise<number> {
  const probe = net.createServer();
  const port = await listen(probe);
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** A server that accepts every connection and says nothing; close() it when done. */
export async function silentTcpServer(): Promise<{ port: number; close: () => void }> {
  const server = net.createServer((socket) => socket.on('error', () => {}));
  const port = await listen(server);
  return { port, close: () => server.close() };
}
