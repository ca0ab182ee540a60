/**
 * The chat room from a terminal, through the web door: what the page does, with Node's built-in WebSocket client
 * (the browser's API, global since Node 22; on Node 20 the ws package stands in). Each stdin line is one message;
 * each message from the room is printed as a line. It shows that a WebSocket carries messages, not a byte stream:
 * no line splitting is needed on this side.
 *
 * Run:    node examples/03-async/src/chat-ws-client.ts --nick dave     (with chat-server and chat-web running)
 * Try:    type a line; a page or a chat-client in the room shows "dave: …"
 * Expect: "welcome dave! here: <names>", then the room's lines; a nickname already in the room is one error line
 *         and exit 1
 * Stop:   Ctrl+D sends /quit: "bye dave", the room closes the WebSocket (code 1000), exit 0; Ctrl+C exits at once
 */
import { createInterface } from 'node:readline';
import * as cli from './cli.ts';

const {
  nick,
  url,
  timeout: timeoutMs,
} = cli.parseFlags(
  { name: 'chat-ws-client', about: 'Joins the chat room through chat-web as NICK; each stdin line is a message.' },
  {
    nick: cli.text(undefined, 'your nickname: 1 to 20 letters, digits, _ or - (required)', { value: 'NICK' }),
    url: cli.text('ws://127.0.0.1:8072/chat', "chat-web's WebSocket address", { value: 'URL' }),
    timeout: cli.duration(5000, 'give up connecting after MS milliseconds'),
  },
);
if (nick === undefined) cli.fail('--nick is required: the name the others see');
const WebSocketClient = globalThis.WebSocket ?? (await import('ws')).WebSocket;

if (!/^wss?:\/\/[^/]/.test(url)) cli.fail(`--url must be a ws:// or wss:// address, got '${url}'`);
const socket = new WebSocketClient(url);
let opened = false;
const giveUp = setTimeout(() => cli.fail(`timed out after ${timeoutMs} ms connecting to ${url}`), timeoutMs);
socket.addEventListener('open', () => {
  opened = true;
  clearTimeout(giveUp);
  socket.send(nick);
  // The keyboard side: a line typed is a message; at end of input, leave politely (the room says bye and closes).
  const keyboard = createInterface({ input: process.stdin });
  keyboard.on('line', (line) => line !== '' && socket.send(line));
  keyboard.on('close', () => socket.readyState === socket.OPEN && socket.send('/quit'));
});
socket.addEventListener('message', (event: { data: unknown }) => {
  const text = `${cli.printable(String(event.data))}\n`;
  if (text.startsWith('error: ')) {
    process.stderr.write(text);
    process.exitCode = 1;
  } else {
    process.stdout.write(text);
  }
});
// A failure is followed by 'close', which says what happened; the 'error' event itself carries no reason.
socket.addEventListener('error', () => {});
socket.addEventListener('close', (event: { code: number; reason: string }) => {
  if (!opened) cli.fail(`cannot connect to ${url}`);
  if (event.code !== 1000) console.error(`closed: ${event.code} ${event.reason}`.trimEnd());
  process.exit();
});
