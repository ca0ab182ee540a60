/**
 * UDP probes: send a datagram and wait, with a timeout, for the one that answers it.
 */
import dgram from 'node:dgram';

/** Sends `payload` to 127.0.0.1:`port` from a fresh socket and resolves with the first answer. */
export async function udpExchange(port: number, payload: Buffer | string, timeoutMs = 2000): Promise<Buffer> {
  const socket = dgram.createSocket('udp4');
  try {
    return await new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no answer on udp port ${port} within ${timeoutMs} ms`)),
        timeoutMs,
      );
      socket.once('message', (answer) => {
        clearTimeout(timer);
        resolve(answer);
      });
      socket.once('error', reject);
      socket.send(Buffer.from(payload), port, '127.0.0.1');
    });
  } finally {
    socket.close();
  }
}

/** Sends each datagram from one socket without waiting for answers (a burst). */
export async function udpBurst(port: number, datagrams: Buffer[]): Promise<void> {
  const socket = dgram.createSocket('udp4');
  socket.on('error', () => {}); // On loopback a full receive buffer drops datagrams; that is the point.
  for (const datagram of datagrams) {
    await new Promise<void>((resolve) => socket.send(datagram, port, '127.0.0.1', () => resolve()));
  }
  socket.close();
}
