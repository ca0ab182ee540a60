/**
 * A chat client for chat-server.ts: sends the nickname, then every line typed on stdin, and prints what the room says.
 * It is the asyncio.open_connection counterpart: one task reads the network, another reads the keyboard, and neither
 * blocks the other. End of input (Ctrl+D) sends /quit. Once in the room, a lost connection (the server stopped, or one
 * of several behind a balancer died) is retried after 0.25 s, 0.5 s, 1 s … at most 8 s apart, each wait shortened at
 * random by up to half so that a room's worth of clients do not all return at once; it gives up after 10 tries in a
 * row. While it reconnects, what is typed waits in stdin (bounded by the pipe) and is sent once it is back.
 *
 * Run:    node examples/03-async/src/chat-client.ts --nick alice     (with chat-server running)
 * Try:    a second one with --nick bob, and type in either; stop the server and start it again
 * Expect: "welcome alice! here: <names>", then "* <nick> joined" and "<nick>: <line>" as others come and talk;
 *         a nickname already in the room is one error line and exit 1; when the server goes,
 *         "* connection lost; reconnecting in <n> s", then "welcome alice! here: <names>" once it is back
 * Stop:   Ctrl+D (or /quit) prints "bye alice" and exits 0; Ctrl+C exits at once
 */
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import * as cli from './cli.ts';
import { readLines } from './read-lines.ts';

const flags = cli.parseFlags(
  { name: 'chat-client', about: 'Joins the chat room as NICK; each line on stdin is a message, end of input leaves.' },
  {
    nick: cli.text(undefined, 'your nickname: 1 to 20 letters, digits, _ or - (required)', { value: 'NICK' }),
    ...cli.connectTo(8071),
    timeout: cli.duration(5000, 'give up connecting after MS milliseconds'),
    noReconnect: cli.toggle('exit when the connection is lost instead of reconnecting'),
  },
);
const { nick, host, port, timeout: timeoutMs } = flags;
if (nick === undefined) cli.fail('--nick is required: the name the others see');

// The keyboard side: each stdin line goes to the connection of the moment; at end of input, leave politely.
let current: net.Socket | undefined;
const leaving = new AbortController();
process.stdin.on('end', () => {
  leaving.abort();
  if (current?.writable) current.write('/quit\n');
});

/** How one connection ended: whether it got into the room, whether that is the end, and what failed, if anything. */
interface Ending {
  inRoom: boolean;
  over: boolean;
  failure?: Error;
}

/** One connection, from the nickname to its end. */
async function visit(returning: boolean): Promise<Ending> {
  const socket = net.connect({ host, port });
  socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`timed out after ${timeoutMs} ms connecting`)));
  socket.once('connect', () => socket.setTimeout(0));
  const ending: Ending = { inRoom: false, over: false };
  socket.on('error', (error) => {
    ending.failure = error;
  });
  socket.write(`${nick}\n`);
  current = socket;
  process.stdin.pipe(socket, { end: false });

  // The network side: print what the room says. The server should already have escaped control characters;
  // printing them escaped here too means a rogue server cannot drive this terminal either.
  try {
    for await (const line of readLines(socket, 1024 * 1024)) {
      const text = `${cli.printable(line.replace(/\r?\n$/, ''))}\n`;
      if (line.startsWith(`welcome ${nick}!`)) ending.inRoom = true;
      if (line.startsWith(`bye ${nick}`) || line.startsWith('bye: ')) ending.over = true;
      // A refusal ends the first visit; coming back, the nickname may still be held for a moment, so try again.
      if (line.startsWith('error: ') && !returning) {
        process.stderr.write(text);
        process.exitCode = 1;
        ending.over = true;
      } else process.stdout.write(returning && line.startsWith('error: ') ? `* ${text.slice('error: '.length)}` : text);
    }
  } catch {
    // The connection failed; ending.failure says why.
  }
  process.stdin.unpipe(socket);
  socket.destroy();
  return ending;
}

let tries = 0;
for (let returning = false; ; returning = true) {
  const ending = await visit(returning);
  if (ending.over) break;
  // Never in the room (a wrong address, a server that hung up), no reconnecting wanted, or the keyboard is done:
  // say why, once.
  if ((!ending.inRoom && !returning) || flags.noReconnect || leaving.signal.aborted) {
    if (ending.failure) cli.fail(`${host}:${port}: ${cli.explain(ending.failure)}`);
    break;
  }
  tries = ending.inRoom ? 0 : tries + 1;
  if (tries === 10) cli.fail(`gave up on ${host}:${port} after 10 tries in a row to get back in`);
  const waitMs = Math.min(8000, 250 * 2 ** tries) * (1 - Math.random() / 2);
  const why = ending.failure ? ` (${cli.explain(ending.failure)})` : '';
  const what = ending.inRoom ? 'connection lost' : 'not back in yet';
  console.log(`* ${what}${why}; reconnecting in ${(waitMs / 1000).toFixed(1)} s`);
  await sleep(waitMs, undefined, { signal: leaving.signal }).catch(() => {});
  if (leaving.signal.aborted) break;
}
process.stdin.destroy();
