/**
 * A server that speaks only TLS 1.0 and 1.1, with the area's development certificate: what the clients must refuse,
 * in one line, as the servers here refuse such clients. OpenSSL 3 allows those versions only at security level 0.
 */
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import type net from 'node:net';
import tls from 'node:tls';
import type { Certs } from './certs.ts';

export async function startOldTlsServer(certs: Certs): Promise<{ port: number; close: () => void }> {
  const server = tls.createServer(
    {
      cert: readFileSync(certs.file('server.crt')),
      key: readFileSync(certs.file('server.key')),
      minVersion: 'TLSv1',
      maxVersion: 'TLSv1.1',
      ciphers: 'DEFAULT:@SECLEVEL=0',
    },
    (socket) => socket.end('you should not be here\n'),
  );
  server.on('tlsClientError', () => {}); // the refusal is the client's to report
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { port: (server.address() as net.AddressInfo).port, close: () => server.close() };
}
