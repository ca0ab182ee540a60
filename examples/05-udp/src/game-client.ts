/**
 * A player of game-server.ts's game (tutorials 002 §5 and 003 §5: a network game). It numbers every move and sends
 * the unacknowledged ones again each tick until a snapshot says the server has them; meanwhile it shows its own
 * moves at once, predicted with the game's rules, and corrects itself from each snapshot (reconciliation). In a
 * terminal it draws the arena and reads the arrow keys (game-view.ts); --bot plays a seeded random walk instead
 * (game-bot.ts). It passes ~120 lines because joining, sending moves, taking snapshots and leaving are one loop that
 * reads best in one place; the bookkeeping behind it is game-moves.ts, and finding a server game-discovery.ts.
 *
 * Run:    node examples/05-udp/src/game-client.ts               (game-server running; or --discover to find one)
 * Try:    node examples/05-udp/src/game-client.ts --bot --seed 1 --moves 40 --name bot
 * Expect: "joined 127.0.0.1:9093 as player 1; 1 in the game", then "inputs 40 in <n> datagrams, acknowledged up
 *         to 40", the snapshots received, lost, out of order and duplicated, and the final position and score
 * Stop:   q or Ctrl+C leaves the game and prints the same counts
 */
import dgram from 'node:dgram';
import * as cli from './cli.ts';
import { randomWalk } from './game-bot.ts';
import { discoveryFlags, findGame } from './game-discovery.ts';
import { MoveLog, SnapshotLog, summary } from './game-moves.ts';
import { decode, encode, type Message, type Move, protocolVersion, validName } from './game-protocol.ts';
import { openView } from './game-view.ts';

const flags = cli.parseFlags(
  { name: 'game-client', about: 'Plays the UDP game: in a terminal with the arrow keys, or by itself with --bot.' },
  {
    ...cli.connectTo(9093),
    name: cli.text('player', 'your name in the game (letters, digits, - and _)'),
    bot: cli.toggle('play a random walk, a move a tick, without a terminal'),
    seed: cli.integer(undefined, "seed of the bot's walk (default: random)", { max: 2 ** 32 - 1 }),
    moves: cli.integer(100, 'moves the bot makes before it leaves', { min: 1 }),
    timeout: cli.duration(3000, 'longest wait for the server: a welcome, a snapshot, the last acknowledgement'),
    discover: cli.toggle('join the first game announced on the local network'),
    list: cli.toggle('list the games announced within --timeout, then exit (a --discover that joins none)'),
    ...discoveryFlags,
    interface: cli.text('127.0.0.1', 'local address to listen for announcements on', { value: 'ADDRESS' }),
  },
);
const { name, timeout } = flags;
if (!validName(name)) cli.fail(`--name must be 1 to 12 letters, digits, - or _, got '${name}'`);
if (!flags.bot && !flags.list && !(process.stdin.isTTY && process.stdout.isTTY))
  cli.fail('game-client needs a terminal to play in; --bot plays without one');

// With --discover, the server is the first game announced on the local network (game-discovery.ts).
const server =
  flags.discover || flags.list
    ? await findGame({ ...flags, via: flags.interface })
    : { address: flags.host, port: flags.port };
if (!server) process.exit(0); // --list: the games found are printed
const where = `${server.address}:${server.port}`;

// A connected UDP socket: the system delivers only the server's datagrams to it.
const socket = dgram.createSocket(server.address.includes(':') ? 'udp6' : 'udp4');
const send = (message: Message) => socket.send(encode(message));
const moves = new MoveLog();
const snapshots = new SnapshotLog();
const playersSeen = new Set<string>();
let welcome: Extract<Message, { type: 'welcome' }> | undefined;
let heardAt = Date.now();
let datagrams = 0;

// Each input datagram carries every unacknowledged move (game-moves.ts), so a move lost with one
// datagram arrives with the next. An input with no moves says "still here".
function sendInputs(): void {
  if (!welcome) return;
  send({ type: 'input', player: welcome.player, token: welcome.token, ...moves.window() });
  datagrams++;
}
function makeMove(move: Move): void {
  moves.add(move);
  sendInputs();
  draw();
}
const own = () => snapshots.latest?.players.find((player) => player.id === welcome?.player);

// Only the newest snapshot counts (a late one is older news). It says which of our inputs it
// includes: those are done, and the prediction restarts from the server's state (reconciliation).
function onSnapshot(snapshot: Extract<Message, { type: 'snapshot' }>): void {
  const first = !snapshots.latest;
  if (!snapshots.take(snapshot)) return;
  heardAt = Date.now();
  if (first && !view)
    console.log(`joined ${where} as player ${welcome?.player}; ${snapshot.players.length} in the game`);
  for (const player of snapshot.players) if (playersSeen.size < 100) playersSeen.add(player.name);
  moves.acknowledge(own()?.ack ?? 0);
  draw();
}

// The terminal shows the newest snapshot, with this player where the prediction puts it; it is
// drawn on every snapshot and on every key, so a move shows at once, not a round trip later.
function draw(): void {
  const snapshot = snapshots.latest;
  if (!view || !snapshot) return;
  const status = `tick ${snapshot.tick}, ${moves.unacknowledged} move(s) unacknowledged, ${snapshots.lost} lost`;
  const position = moves.predict(own() ?? { x: 0, y: 0 });
  const coin = { x: snapshot.coinX, y: snapshot.coinY };
  view.draw({ me: welcome?.player ?? 0, position, coin, players: snapshot.players, status });
}

socket.on('message', (datagram) => {
  const message = decode(datagram);
  if (message?.type === 'welcome' && !welcome) {
    welcome = message;
    heardAt = Date.now();
    timers.push(setInterval(onTick, message.tickMs));
  }
  if (message?.type === 'refused') finish(`refused by ${where}: ${message.reason}`, 1);
  if (message?.type === 'snapshot' && welcome) onSnapshot(message);
  if (message?.type === 'over') finish(`game over: ${message.reason}`, 0);
});
socket.on('error', (error) => finish(`${where}: ${cli.explain(error)}`, 1));

// Each tick: the bot moves (or, done, waits for its last moves to be acknowledged); unacknowledged
// moves go again; silence from the server for too long ends the game.
const nextBotMove = randomWalk(flags.seed ?? Date.now(), flags.moves);
let doneAt = 0;
function onTick() {
  if (Date.now() - heardAt > timeout) return finish(`no snapshot from the server for ${timeout} ms`, 1);
  if (flags.bot) {
    const move = nextBotMove();
    if (move) return makeMove(move);
    if (moves.unacknowledged === 0) return finish(undefined, 0);
    doneAt ||= Date.now();
    if (Date.now() - doneAt > timeout)
      return finish(`${moves.unacknowledged} move(s) unacknowledged after ${timeout} ms`, 1);
  }
  sendInputs();
}

// Joining: a join is sent every 250 ms until the welcome (or a refusal) comes, since either may be lost.
const timers: NodeJS.Timeout[] = [];
// Connecting a UDP socket sends nothing, but it picks a route: with none (ENETUNREACH), the
// callback gets the error, and nothing could be sent.
socket.connect(server.port, server.address, (error?: NodeJS.ErrnoException) => {
  if (error) return finish(`${where}: ${cli.explain(error)}`, 1);
  const join = encode({ type: 'join', version: protocolVersion, name });
  const joining = setInterval(() => (welcome ? clearInterval(joining) : socket.send(join)), 250);
  socket.send(join);
  const noAnswer = () => welcome || finish(`no answer from ${where} within ${timeout} ms`, 1);
  timers.push(joining, setTimeout(noAnswer, timeout));
});
const view = flags.bot ? undefined : openView(makeMove, () => finish(undefined, 0));
process.on('SIGINT', () => finish(undefined, 0));
process.on('SIGTERM', () => finish(undefined, 0));

// Leaving: told three times (any may be lost; the server also drops a silent player), then the counts.
let finished = false;
function finish(why: string | undefined, exitCode: number): void {
  if (finished) return;
  finished = true;
  for (const timer of timers) clearTimeout(timer);
  view?.close();
  if (why && exitCode === 0) console.log(why);
  for (const line of summary(moves, datagrams, snapshots, own(), playersSeen)) console.log(line);
  if (why && exitCode !== 0) console.error(`error: ${why}`);
  process.exitCode = exitCode;
  const leave = encode({ type: 'leave', player: welcome?.player ?? 0, token: welcome?.token ?? 0 });
  if (welcome) for (const last of [false, false, true]) socket.send(leave, () => last && socket.close());
  else socket.close();
}
