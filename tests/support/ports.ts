/**
 * A port on 127.0.0.1 that was free a moment ago: bound to port 0, read, and let go. For a test that needs nothing
 * listening there (a refused connect, an unanswered datagram) or a fixed port a user would give.
 */
import dgram from 'node:dgram';
import { once } from 'node:events';
import net from 'node:net';

export async function freeTcpPort(): Promise<number> {
  const probe = net.createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

export async function freeUdpPort(): Promise<number> {
  const probe = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => probe.bind(0, '127.0.0.1', resolve));
  const { port } = probe.address();
  await new Promise<void>((resolve) => probe.close(resolve));
  return port;
}
