/**
 * Sends one file to file-server: hashes it, sends the header (size, SHA-256, name, see file-protocol.ts), streams the
 * bytes with backpressure, and waits for the server's verdict. The tutorials name file transfer as a socket
 * application (003 §5); the client's half shows framing from the sender's side and a reply that confirms what arrived.
 *
 * Run:    node examples/01-socket/src/file-client.ts package.json   (with file-server running)
 * Try:    node examples/01-socket/src/file-client.ts --name copy.json package.json
 * Expect: "sent <file>: <n> bytes, sha256 <sha256>" then "OK <n> <sha256>"; "error: <reason>" and exit 1
 *         when the file cannot be read or sent or the server refuses it
 * Stop:   it exits by itself: 0 when the server confirms, 1 on any error
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import * as cli from './cli.ts';
import { formatHeader, nameProblem, readAnswer } from './file-protocol.ts';

const flags = cli.parseFlags(
  { name: 'file-client', about: "Sends FILE to file-server and prints the server's answer.", positionals: 'FILE' },
  {
    ...cli.connectTo(9000),
    name: cli.text(undefined, "name to store the file under (default: FILE's base name)", { value: 'NAME' }),
    timeout: cli.duration(10_000, 'give up after MS milliseconds without progress'),
  },
);
const [file, ...extra] = flags.positionals;
if (file === undefined || extra.length > 0) cli.fail(`expected exactly one FILE, got ${flags.positionals.length}`);
const { host, port, timeout: timeoutMs } = flags;
const name = flags.name ?? path.basename(file);
const problem = nameProblem(name);
if (problem) cli.fail(`cannot send as '${name}': ${problem}`);

// The header carries the hash, so the file is read once to hash it and once to send it.
let size: number;
const hash = createHash('sha256');
try {
  size = (await stat(file)).size;
  await pipeline(createReadStream(file), hash);
} catch (error) {
  cli.fail(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code}`);
}
const sha256 = hash.digest('hex');

const address = `${host}:${port}`;
const socket = net.connect({ host, port });
socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`timed out after ${timeoutMs} ms`)));

// The answer is one line (see readAnswer); not getting it is one error line and exit 1.
const answer = readAnswer(socket).catch((error: NodeJS.ErrnoException) =>
  cli.fail(`${address}: ${error.code ? cli.explain(error) : error.message}`),
);
// Header first, then the bytes. pipeline() waits whenever the socket's buffer is full, so a
// large file is never held in memory. The socket stays open for the answer (end: false).
// If the server refuses early, sending fails too; the answer explains why, so that failure
// is not reported twice.
socket.write(formatHeader({ size, sha256, name }));
pipeline(createReadStream(file), socket, { end: false }).catch(() => {});

const line = await answer;
if (line !== `OK ${size} ${sha256}`) cli.fail(`${address} refused ${name}: ${line.replace(/^ERROR /, '')}`);
console.log(`sent ${name}: ${size} bytes, sha256 ${sha256}\n${line}`);
socket.destroy();
