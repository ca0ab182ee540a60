/**
 * Sends one file to file-server: hashes it, sends the header (size, SHA-256, name, see
 * file-protocol.ts), streams the bytes with backpressure, and waits for the server's verdict.
 * The tutorials name file transfer as a socket application (003 §5); the client's half shows
 * framing from the sender's side and a reply that confirms what arrived.
 *
 * Run:    node examples/01-socket/src/file-client.ts package.json   (with file-server running)
 * Try:    node examples/01-socket/src/file-client.ts --name copy.json package.json
 * Expect: "sent package.json: N bytes, sha256 …" then "OK N <sha256>"; exit 1 on "ERROR …"
 * Stop:   it exits by itself: 0 when the server confirms, 1 on any error
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { connectTo, duration, explain, fail, parseFlags, text } from './cli.ts';
import { formatHeader, maxHeaderBytes, nameProblem } from './file-protocol.ts';

const flags = parseFlags(
  {
    name: 'file-client',
    about: "Sends FILE to file-server and prints the server's answer.",
    positionals: 'FILE',
  },
  {
    ...connectTo(9000),
    name: text(undefined, "name to store the file under (default: FILE's base name)", { value: 'NAME' }),
    timeout: duration(10_000, 'give up after MS milliseconds without progress'),
  },
);
const [file, ...extra] = flags.positionals;
if (file === undefined || extra.length > 0)
  fail(`expected exactly one FILE, got ${flags.positionals.length}`);
const { host, port, timeout: timeoutMs } = flags;
const name = flags.name ?? path.basename(file);
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
const socket = net.connect({ host, port });
socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`timed out after ${timeoutMs} ms`)));

// The answer is one line. Collect it as it arrives, bounded: a peer that is not file-server
// could send anything.
const answer = new Promise<string>((resolve, reject) => {
  let received = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    received += chunk;
    const newline = received.indexOf('\n');
    if (newline !== -1) resolve(received.slice(0, newline).replace(/\r$/, ''));
    else if (received.length > maxHeaderBytes) reject(new Error('answer line too long'));
  });
  socket.on('end', () => reject(new Error(`${address} closed the connection without an answer`)));
  socket.on('error', (error) => reject(new Error(`${address}: ${explain(error)}`)));
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
