/**
 * A chat client for chat-server.ts: sends the nickname, then every line typed on stdin, and prints
 * what the room says. It is the asyncio.open_connection counterpart: one task reads the network,
 * another reads the keyboard, and neither blocks the other. End of input (Ctrl+D) sends /quit.
 *
 * Run:    npx tsx examples/03-async/src/chat-client.ts --nick alice     (with chat-server running)
 * Try:    a second one with --nick bob, and type in either
 * Expect: "welcome alice! …", "* bob joined", "bob: hi"; "error: the nickname … is taken" and exit 1 for a duplicate
 * Stop:   Ctrl+D (or /quit) prints "bye alice" and exits 0; Ctrl+C exits at once
 */
import net from 'node:net';
import { parseArgs } from 'node:util';
import { readLines } from './read-lines.ts';

const usage = 'usage: chat-client --nick NICK [--host HOST] [--port PORT] [--timeout MS]';
const help = `${usage}

Joins the chat room as NICK; each line on stdin is a message, end of input leaves.

  --nick NICK    your nickname: 1 to 20 letters, digits, _ or -
  --host HOST    server address (default: $HOST or 127.0.0.1)
  --port PORT    server port (default: $PORT or 8071)
  --timeout MS   give up connecting after MS milliseconds (default: 5000)
  --help         print this help and exit`;

let flags: Record<string, string | boolean | undefined>;
try {
  flags = parseArgs({
    options: {
      nick: { type: 'string' },
      host: { type: 'string', default: process.env.HOST ?? '127.0.0.1' },
      port: { type: 'string', default: process.env.PORT ?? '8071' },
      timeout: { type: 'string', default: '5000' },
      help: { type: 'boolean', default: false },
    },
  }).values;
} catch (error) {
  console.error(`${(error as Error).message}. ${usage}`);
  process.exit(2);
}
if (flags.help) {
  console.log(help);
  process.exit(0);
}
if (typeof flags.nick !== 'string') {
  console.error(`missing --nick. ${usage}`);
  process.exit(2);
}
const host = String(flags.host);
const port = Number(flags.port);
const timeoutMs = Number(flags.timeout);
if (!Number.isInteger(port) || port < 1 || port > 65535 || !Number.isInteger(timeoutMs) || timeoutMs < 1) {
  console.error(`error: bad --port '${flags.port}' or --timeout '${flags.timeout}'`);
  process.exit(1);
}

const socket = net.connect({ host, port });
socket.setTimeout(timeoutMs, () =>
  socket.destroy(new Error(`timed out after ${timeoutMs} ms connecting to ${host}:${port}`)),
);
socket.once('connect', () => socket.setTimeout(0));
socket.on('error', (error: NodeJS.ErrnoException) => {
  const refused = error.code === 'ECONNREFUSED';
  console.error(
    `error: ${refused ? `connection refused by ${host}:${port} (is chat-server running?)` : error.message}`,
  );
  process.exitCode = 1;
});
socket.write(`${flags.nick}\n`);

// The keyboard side: each stdin line goes out as is; at end of input, leave politely.
process.stdin.pipe(socket, { end: false });
process.stdin.on('end', () => {
  if (socket.writable) socket.write('/quit\n');
});

// The network side: print what the room says; the server's "error: …" lines are failures.
try {
  for await (const line of readLines(socket, 1024 * 1024)) {
    if (line.startsWith('error: ')) {
      process.stderr.write(line);
      process.exitCode = 1;
    } else {
      process.stdout.write(line);
    }
  }
} catch {
  // The connection failed; the 'error' listener above has said why.
}
process.stdin.destroy();
socket.destroy();
