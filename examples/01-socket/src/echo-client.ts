/**
 * A TCP client: connect, send, half-close, read the whole reply to end of stream, close.
 * It mirrors the client of tutorial 001 §1.6 (connect, send, recv, close), except that it
 * does not trust one recv(1024) to hold the reply: TCP is a byte stream, so it reads until
 * the server closes. It also says clearly why a connection failed, and never waits forever.
 *
 * Run:    npx tsx examples/01-socket/src/echo-client.ts "Hello, World!"   (with echo-server running)
 * Try:    printf 'one\ntwo\n' | npx tsx examples/01-socket/src/echo-client.ts
 * Expect: the echo on stdout ("Hello, World!"); "error: connection refused ..." if no server runs
 * Stop:   it exits by itself: 0 when the reply is complete, 1 on any error
 */
import net from 'node:net';
import { parseArgs } from 'node:util';

const usage = 'usage: echo-client [--host HOST] [--port PORT] [--timeout MS] [MESSAGE...]';
const help = `${usage}

Sends MESSAGE (the arguments joined by spaces, plus a newline) or, without arguments,
everything read from stdin; then half-closes and prints the reply until the server closes.

  --host HOST    server address (default: $HOST or 127.0.0.1)
  --port PORT    server port (default: $PORT or 8080)
  --timeout MS   give up after MS milliseconds without progress (default: 5000)
  --help         print this help and exit`;

// Parse flags with the built-in parser. An unknown flag is a usage error (exit 2);
// a known flag with a bad value is a start-up failure (exit 1).
let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      host: { type: 'string', default: process.env.HOST ?? '127.0.0.1' },
      port: { type: 'string', default: process.env.PORT ?? '8080' },
      timeout: { type: 'string', default: '5000' },
      help: { type: 'boolean', default: false },
    },
  });
} catch (error) {
  console.error(`${(error as Error).message}. ${usage}`);
  process.exit(2);
}
const flags = parsed.values;
if (flags.help) {
  console.log(help);
  process.exit(0);
}

function integerFlag(name: string, min: number, max: number): number {
  const text = String(flags[name]);
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    console.error(`error: --${name} must be an integer from ${min} to ${max}, got '${text}'`);
    process.exit(1);
  }
  return value;
}
const host = String(flags.host);
const port = integerFlag('port', 1, 65535);
const timeoutMs = integerFlag('timeout', 1, 3_600_000);
const address = `${host}:${port}`;

// The usual ways a connection fails, in words a person can act on.
function describe(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ECONNREFUSED':
      return `connection refused by ${address} (is the server running?)`;
    case 'ECONNRESET':
      return `connection reset by ${address}`;
    case 'EPIPE':
      return `connection closed by ${address} while sending`;
    case 'ENOTFOUND':
      return `unknown host ${host}`;
    default:
      return `${address}: ${error.message}`;
  }
}

const socket = net.connect({ host, port });
socket.on('error', (error: NodeJS.ErrnoException) => {
  console.error(`error: ${describe(error)}`);
  process.exitCode = 1;
});

// The timeout counts silence, from connecting onwards: a server that accepts and never
// answers (or never accepts) cannot keep us waiting.
socket.setTimeout(timeoutMs, () => {
  console.error(`error: timed out after ${timeoutMs} ms waiting for ${address}`);
  process.exitCode = 1;
  socket.destroy();
});

// Send, then end our side (a half-close: FIN) so the server knows the message is complete.
// The reply is streamed to stdout as it arrives, however many reads it takes.
const message = parsed.positionals.length > 0 ? `${parsed.positionals.join(' ')}\n` : undefined;
if (message === undefined) {
  process.stdin.pipe(socket);
} else {
  socket.end(message);
}
socket.pipe(process.stdout);

// Once the connection is gone there is nothing left to send: stop reading stdin so we can exit.
socket.on('close', () => process.stdin.destroy());
