/**
 * A chat client for chat-server.ts: sends the nickname, then every line typed on stdin, and prints what the room says.
 * It is the asyncio.open_connection counterpart: one task reads the network, another reads the keyboard, and neither
 * blocks the other. End of input (Ctrl+D) sends /quit.
 *
 * Run:    node examples/03-async/src/chat-client.ts --nick alice     (with chat-server running)
 * Try:    a second one with --nick bob, and type in either
 * Expect: "welcome alice! here: <names>", then "* <nick> joined" and "<nick>: <line>" as others come and talk;
 *         a nickname already in the room is one error line and exit 1
 * Stop:   Ctrl+D (or /quit) prints "bye alice" and exits 0; Ctrl+C exits at once
 */
import net from 'node:net';
import * as cli from './cli.ts';
import { readLines } from './read-lines.ts';

const {
  nick,
  host,
  port,
  timeout: timeoutMs,
} = cli.parseFlags(
  { name: 'chat-client', about: 'Joins the chat room as NICK; each line on stdin is a message, end of input leaves.' },
  {
    nick: cli.text(undefined, 'your nickname: 1 to 20 letters, digits, _ or - (required)', { value: 'NICK' }),
    ...cli.connectTo(8071),
    timeout: cli.duration(5000, 'give up connecting after MS milliseconds'),
  },
);
if (nick === undefined) cli.fail('--nick is required: the name the others see');

const socket = net.connect({ host, port });
socket.setTimeout(timeoutMs, () =>
  socket.destroy(new Error(`timed out after ${timeoutMs} ms connecting to ${host}:${port}`)),
);
socket.once('connect', () => socket.setTimeout(0));
socket.on('error', (error) => {
  console.error(`error: ${host}:${port}: ${cli.explain(error)}`);
  process.exitCode = 1;
});
socket.write(`${nick}\n`);

// The keyboard side: each stdin line goes out as is; at end of input, leave politely.
process.stdin.pipe(socket, { end: false });
process.stdin.on('end', () => {
  if (socket.writable) socket.write('/quit\n');
});

// The network side: print what the room says; the server's "error: …" lines are failures. The server
// should already have escaped control characters; printing them escaped here too means a rogue
// server cannot drive this terminal either.
try {
  for await (const line of readLines(socket, 1024 * 1024)) {
    const text = `${cli.printable(line.replace(/\r?\n$/, ''))}\n`;
    if (line.startsWith('error: ')) {
      process.stderr.write(text);
      process.exitCode = 1;
    } else {
      process.stdout.write(text);
    }
  }
} catch {
  // The connection failed; the 'error' listener above has said why.
}
process.stdin.destroy();
socket.destroy();
