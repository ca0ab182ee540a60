/**
 * The echo client over TLS, with the server checked: its certificate must be signed by the CA given with --ca and be
 * valid for the name connected to (Python's ssl.create_default_context(cafile=...) and server_hostname). It prints the
 * negotiated TLS version and cipher, and says in one line why a server was refused (handshake-errors.ts).
 * Verification is never switched off: a client that accepts any certificate is not using TLS for what it is for.
 * Mirrors 001 §1.6 over TLS.
 *
 * Run:    node examples/01-socket/src/tls-echo-client.ts "Hello, TLS"     (with tls-echo-server running)
 * Try:    node examples/01-socket/src/tls-echo-client.ts --servername example.com hi   (refused: wrong name)
 * Expect: "tls: TLSv1.3, TLS_AES_256_GCM_SHA384, 127.0.0.1 verified by certs/ca.crt" on stderr, the echo on stdout
 * Stop:   it exits by itself: 0 when the reply is complete, 1 on any error
 */
import tls from 'node:tls';
import * as cli from './cli.ts';
import { refusal } from './handshake-errors.ts';

const flags = cli.parseFlags(
  {
    name: 'tls-echo-client',
    about: 'Sends MESSAGE (or stdin) over TLS after checking the server certificate, and prints the echo.',
    positionals: '[MESSAGE...]',
  },
  {
    ...cli.connectTo(8443),
    ca: cli.text('certs/ca.crt', 'trust servers whose certificate this CA signed', { value: 'FILE' }),
    servername: cli.text(undefined, 'the name the certificate must be valid for (default: --host)', { value: 'NAME' }),
    cert: cli.text(undefined, 'a client certificate, for servers that require one (with --key)', { value: 'FILE' }),
    key: cli.text(undefined, "the client certificate's private key", { value: 'FILE' }),
    timeout: cli.duration(5000, 'give up after MS milliseconds without progress'),
  },
);
const { host, port, timeout, positionals } = flags;
const address = `${host}:${port}`;

// tls.connect verifies by default: the chain against `ca`, then the name against the certificate's
// subject alternative names. `servername` also goes to the server as SNI (not for an IP address).
const servername = flags.servername ?? host;
const socket = tls.connect({
  host,
  port,
  ca: cli.readFlagFile(flags.ca),
  servername: /^[\d.]+$|:/.test(servername) ? undefined : servername,
  checkServerIdentity: (_name, certificate) => tls.checkServerIdentity(servername, certificate),
  cert: flags.cert ? cli.readFlagFile(flags.cert) : undefined,
  key: flags.key ? cli.readFlagFile(flags.key) : undefined,
  minVersion: 'TLSv1.2',
});
socket.on('error', (error: NodeJS.ErrnoException) => {
  const reason = refusal(error.code, { ca: flags.ca, name: servername });
  console.error(`error: ${address}: ${reason ? `refused the server: ${reason} (${error.code})` : cli.explain(error)}`);
  process.exitCode = 1;
});
socket.setTimeout(timeout, () => {
  console.error(`error: timed out after ${timeout} ms waiting for ${address}`);
  process.exitCode = 1;
  socket.destroy();
});

// Only once the server is verified does anything of ours go out.
socket.on('secureConnect', () => {
  console.error(`tls: ${socket.getProtocol()}, ${socket.getCipher().name}, ${servername} verified by ${flags.ca}`);
  const message = positionals.length > 0 ? `${positionals.join(' ')}\n` : undefined;
  if (message === undefined) process.stdin.pipe(socket);
  else socket.end(message);
});
socket.pipe(process.stdout);
socket.on('close', () => process.stdin.destroy());
