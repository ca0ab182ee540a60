/**
 * Sends one file to file-server: hashes it, sends the header (size, SHA-256, name, see
 * file-protocol.ts), streams the bytes with backpressure, and waits for the server's verdict.
 * The tutorials name file transfer as a socket application (003 §5); the client's half shows
 * framing from the sender's side and a reply that confirms what arrived.
 *
 * Run:    npx tsx examples/01-socket/src/file-client.ts package.json   (with file-server running)
 * Try:    npx tsx examples/01-socket/src/file-client.ts --name copy.json package.json
 * Expect: "sent package.json: N bytes, sha256 …" then "OK N <sha256>"; exit 1 on "ERROR …"
 * Stop:   it exits by itself: 0 when the server confirms, 1 on any error
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { formatHeader, maxHeaderBytes, nameProblem } from './file-protocol.ts';

const usage = 'usage: file-client [--host HOST] [--port PORT] [--name NAME] [--timeout MS] FILE';
const help = `${usage}

Sends FILE to file-server and prints the server's answer.

  --host HOST    server address (default: $HOST or 127.0.0.1)
  --port PORT    server port (default: $PORT or 9000)
  --name NAME    name to store the file under (default: FILE's base name)
  --timeout MS   give up after MS milliseconds without progress (default: 10000)
  --help         print this help and exit`;

let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      host: { type: 'string', default: process.env.HOST ?? '127.0.0.1' },
      port: { type: 'string', default: process.env.PORT ?? '9000' },
      name: { type: 'string' },
      timeout: { type: 'string', default: '10000' },
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
const [file, ...extra] = parsed.positionals;
if (file === undefined || extra.length > 0) {
  console.error(`expected exactly one FILE. ${usage}`);
  process.exit(2);
}
function fail(message: string): never {
  console.error(`error: ${message}`);
  process.exit(1);
}
const host = String(flags.host);
const port = Number(flags.port);
const timeoutMs = Number(flags.timeout);
if (!Number.isInteger(port) || port < 1 || port > 65535)
  fail(`--port must be 1 to 65535, got '${flags.port}'`);
if (!Number.isInteger(timeoutMs) || timeoutMs < 1)
  fail(`--timeout must be a positive integer, got '${flags.timeout}'`);
const name = typeof flags.name === 'string' ? flags.name : path.basename(file);
const problem = nameProblem(name);
if (problem) fail(`cannot send as '${name}': ${problem}`);

// The header carries the hash, so the file is read once to hash it and once to send it.
let size: number;
const hash = createHash('sha256');
try {
  size = (await stat(file)).size;
  await pipeline(createReadStream(file), hash);
} catch (error) {
  fail(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code}`);
}
const sha256 = hash.digest('hex');

const address = `${host}:${port}`;
const errors: Record<string, string> = {
  ECONNREFUSED: `connection refused by ${address} (is file-server running?)`,
  ECONNRESET: `connection reset by ${address}`,
  EPIPE: `connection closed by ${address} while sending`,
};
const socket = net.connect({ host, port });
socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`timed out after ${timeoutMs} ms`)));

// The answer is one line. Collect it as it arrives, bounded: a peer that is not file-server
// could send anything.
const answer = new Promise<string>((resolve, reject) => {
  let received = '';
  socket.setEncoding('utf8');
  socket.on('data', (text: string) => {
    received += text;
    const newline = received.indexOf('\n');
    if (newline !== -1) resolve(received.slice(0, newline).replace(/\r$/, ''));
    else if (received.length > maxHeaderBytes) reject(new Error('answer line too long'));
  });
  socket.on('end', () => reject(new Error(`${address} closed the connection without an answer`)));
  socket.on('error', (error: NodeJS.ErrnoException) =>
    reject(new Error(errors[error.code ?? ''] ?? error.message)),
  );
});

// Header first, then the bytes. pipeline() waits whenever the socket's buffer is full, so a
// large file is never held in memory. The socket stays open for the answer (end: false).
// If the server refuses early, sending fails too; the answer explains why, so that failure
// is not reported twice.
socket.write(formatHeader({ size, sha256, name }));
pipeline(createReadStream(file), socket, { end: false }).catch(() => {});

try {
  const line = await answer;
  if (line === `OK ${size} ${sha256}`) {
    console.log(`sent ${name}: ${size} bytes, sha256 ${sha256}`);
    console.log(line);
  } else {
    console.error(`error: ${address} refused ${name}: ${line.replace(/^ERROR /, '')}`);
    process.exitCode = 1;
  }
} catch (error) {
  console.error(`error: ${(error as Error).message}`);
  process.exitCode = 1;
}
socket.destroy();
