/**
 * The echo server over TLS: the same bytes come back, encrypted, and the client can check it is talking to the right
 * server. node:tls wraps each TCP connection in a TLS session (Python's ssl.wrap_socket, server side) with the
 * certificate and key from make-certs.ts; with --require-client-cert it is mutual TLS, and a client must show a
 * certificate signed by the CA too. It answers the tutorials' closing challenge, security (000 §5, 003 §7).
 *
 * Run:    node examples/01-socket/src/make-certs.ts && node examples/01-socket/src/tls-echo-server.ts
 * Try:    node examples/01-socket/src/tls-echo-client.ts "hello"    (or: openssl s_client -CAfile certs/ca.crt -connect 127.0.0.1:8443)
 * Expect: "listening on tls://127.0.0.1:8443", then "connected 127.0.0.1:<port> (TLSv1.3, TLS_AES_256_GCM_SHA384)"
 * Stop:   Ctrl+C prints "SIGINT: stopping, <n> connection(s) open", then "stopped"
 */
import tls from 'node:tls';
import * as cli from './cli.ts';
import { intermediateTls } from './tls-profile.ts';

const { host, port, cert, key, ca, requireClientCert, idleTimeout, shutdownTimeout } = cli.parseFlags(
  { name: 'tls-echo-server', about: 'Echoes every byte each client sends, over TLS.' },
  {
    ...cli.listenOn(8443),
    cert: cli.text('certs/server.crt', "the server's certificate (from make-certs.ts)", { value: 'FILE' }),
    key: cli.text('certs/server.key', "the server's private key", { value: 'FILE' }),
    ca: cli.text('certs/ca.crt', 'the CA of client certificates (with --require-client-cert)', { value: 'FILE' }),
    requireClientCert: cli.toggle('mutual TLS: refuse clients without a certificate signed by --ca'),
    idleTimeout: cli.duration(60_000, 'close a connection silent for MS milliseconds'),
    shutdownTimeout: cli.duration(3000, 'on SIGINT/SIGTERM, wait at most MS for connections to close', 0),
  },
);
const read = (file: string) => cli.readFlagFile(file, '; make it with make-certs.ts');

// The TLS settings are Mozilla's intermediate profile (tls-profile.ts): TLS 1.2 and 1.3, forward-secret AEAD suites,
// no renegotiation. With requestCert and rejectUnauthorized it is mutual TLS: the handshake fails without a valid
// client certificate.
const mutual = requireClientCert ? { ca: read(ca), requestCert: true, rejectUnauthorized: true } : {};
const options = { cert: read(cert), key: read(key), ...mutual, ...intermediateTls };
const connections = new Set<tls.TLSSocket>();
// 'secureConnection': the handshake is done, so what arrives now is decrypted application data.
const server = tls.createServer({ ...options, handshakeTimeout: 10_000 }, (socket) => {
  const peer = `${socket.remoteAddress}:${socket.remotePort}`;
  const who = requireClientCert ? `, client ${socket.getPeerCertificate().subject?.CN}` : '';
  console.log(`connected ${peer} (${socket.getProtocol()}, ${socket.getCipher().name}${who})`);
  connections.add(socket);
  socket.pipe(socket);
  socket.on('error', (error: NodeJS.ErrnoException) => console.error(`error ${peer}: ${error.code ?? error.message}`));
  socket.setTimeout(idleTimeout, () => socket.destroy());
  socket.on('close', () => {
    connections.delete(socket);
    console.log(`closed ${peer}`);
  });
});

// A failed handshake (plain TCP on the TLS port, an old TLS version, a missing or refused certificate) is that
// client's problem: one line, and the server keeps serving. No allowHalfOpen: one that hangs up mid-handshake ends.
server.on('tlsClientError', (error: NodeJS.ErrnoException, socket) => {
  const reason = error.code === 'ECONNRESET' ? 'closed during the handshake' : (error.code ?? error.message);
  console.error(`refused ${cli.peerOf(socket)}: ${cli.printable(reason)}`);
});

function shutdown(signal: NodeJS.Signals): void {
  if (cli.alreadyStopping(signal)) return;
  console.log(`${signal}: stopping, ${connections.size} connection(s) open`);
  server.close();
  process.on('exit', (code) => code === 0 && console.log('stopped'));
  for (const socket of connections) socket.unpipe(socket).end();
  setTimeout(() => {
    for (const socket of connections) socket.destroy();
  }, shutdownTimeout).unref();
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

server.on('error', (error) => cli.cannotListen(error, host, port));
server.listen({ host, port }, () => cli.printListening('tls', server.address()));
