/**
 * TCP probes: small, strict clients for driving a server from the outside. Every wait has a
 * timeout, and what a peer sends is collected up to a limit. With `tls`, the same probes speak
 * through TLS (verified: give the CA), so the same checks run against a server over TLS.
 */
import net from 'node:net';
import tls from 'node:tls';

export interface ProbeOptions {
  host?: string;
  timeoutMs?: number;
  tls?: tls.ConnectionOptions;
}

export function connect(port: number, { host = '127.0.0.1', timeoutMs = 5000, tls: secure }: ProbeOptions = {}) {
  return new Promise<net.Socket>((resolve, reject) => {
    const socket = secure ? tls.connect({ host, port, ...secure }) : net.connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`connect to ${host}:${port} timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once(secure ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer);
      socket.removeListener('error', reject);
      resolve(socket);
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/**
 * Collects everything the peer sends until it ends its side (EOF). Rejects on an error, when
 * the peer is silent for `timeoutMs`, or past `maxBytes`.
 */
export function readToEnd(
  socket: net.Socket,
  { timeoutMs = 5000, maxBytes = 256 * 1024 * 1024 } = {},
): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      reject(new Error(`peer silent for ${timeoutMs} ms after ${length} bytes, before EOF`));
    });
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      length += chunk.length;
      if (length > maxBytes) {
        socket.destroy();
        reject(new Error(`peer sent more than ${maxBytes} bytes`));
      }
    });
    socket.once('end', () => {
      socket.setTimeout(0);
      resolve(Buffer.concat(chunks));
    });
    socket.once('error', reject);
  });
}

/** Writes `data` in writes of `pieceBytes` each (one write by default), each one flushed before the next. */
export async function writeInPieces(socket: net.Socket, data: Buffer, pieceBytes = data.length): Promise<void> {
  for (let offset = 0; offset < data.length; offset += pieceBytes) {
    const piece = data.subarray(offset, offset + pieceBytes);
    await new Promise<void>((resolve, reject) => socket.write(piece, (error) => (error ? reject(error) : resolve())));
  }
}

/**
 * The client side of a request/response exchange over one connection: connect, send `data`
 * (optionally in pieces), half-close, and read the reply to EOF.
 */
export async function exchange(
  port: number,
  data: Buffer | string,
  { pieceBytes, ...options }: ProbeOptions & { pieceBytes?: number } = {},
): Promise<Buffer> {
  const socket = await connect(port, options);
  try {
    const reply = readToEnd(socket, options);
    reply.catch(() => {}); // Awaited below; this only stops a failed write from leaving it unhandled.
    const bytes = Buffer.from(data);
    await writeInPieces(socket, bytes, pieceBytes ?? Math.max(bytes.length, 1));
    socket.end();
    return await reply;
  } finally {
    socket.destroy();
  }
}

/**
 * Drops a connection with a TCP reset (RST) instead of a graceful FIN, as a crashed peer would.
 * A TLS socket cannot be reset from Node (resetting the TCP socket under it crashes Node 20), so
 * it is dropped without TLS's goodbye (close_notify) instead.
 */
export function reset(socket: net.Socket): void {
  if (socket instanceof tls.TLSSocket) socket.destroy();
  else socket.resetAndDestroy();
}
