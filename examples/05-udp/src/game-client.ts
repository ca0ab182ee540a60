/**
 * A player of game-server.ts's game (tutorials 002 §5 and 003 §5: a network game). It numbers every move and sends
 * the unacknowledged ones again each tick until a snapshot says the server has them; meanwhile it shows its own
 * moves at once, predicted with the game's rules, and corrects itself from each snapshot (reconciliation). In a
 * terminal it draws the arena and reads the arrow keys; --bot plays a seeded random walk instead.
 *
 * Run:    node examples/05-udp/src/game-client.ts               (game-server running; or --discover to find one)
 * Try:    node examples/05-udp/src/game-client.ts --bot --seed 1 --moves 40 --name bot
 * Expect: "joined arena as player 1", then "inputs 40 in <n> datagrams, 40 acknowledged", the snapshots received,
 *         lost, out of order and duplicated, and "final position 9,8 after input 40, score 0"
 * Stop:   q or Ctrl+C leaves the game and prints the same counts
 */
import dgram from 'node:dgram';
import * as cli from './cli.ts';
import { broadcastAddress, discoveryFlags, type FoundGame, listenForGames } from './game-discovery.ts';
import { decode, encode, type Message, type Move, maxMovesPerInput, validName } from './game-protocol.ts';
import { moved, type Position } from './game-rules.ts';
import { type Frame, openView } from './game-view.ts';
import { seededRandom } from './misbehaviour.ts';

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
    list: cli.toggle('with --discover: list the games announced within --timeout, then exit'),
    ...discoveryFlags,
    interface: cli.text('127.0.0.1', 'local address to listen for announcements on', { value: 'ADDRESS' }),
  },
);
const { name, timeout } = flags;
if (!validName(name)) cli.fail(`--name must be 1 to 12 letters, digits, - or _, got '${name}'`);
if (!flags.bot && !flags.list && !(process.stdin.isTTY && process.stdout.isTTY))
  cli.fail('game-client needs a terminal to play in; --bot plays without one');

// Discovery (game-discovery.ts): listen for announcements, then join the first game, or list them all.
async function discover(): Promise<FoundGame | undefined> {
  const found = new Map<string, FoundGame>();
  let resolve: (game: FoundGame | undefined) => void = () => {};
  const promise = new Promise<FoundGame | undefined>((settle) => {
    resolve = settle;
  });
  const [port, stop] = await listenForGames({ ...flags, port: flags.discoveryPort, via: flags.interface }, (game) => {
    if (found.has(`${game.address}:${game.port}`)) return;
    found.set(`${game.address}:${game.port}`, game);
    console.log(
      `found ${game.name} at ${game.address}:${game.port} (${game.players} of ${game.maxPlayers} players, by ${game.by})`,
    );
    if (!flags.list) resolve(game);
  });
  const broadcast = `${broadcastAddress(flags.interface)}:${port}`;
  console.log(`looking for games on ${flags.group}:${port} and ${broadcast} via ${flags.interface}`);
  const timer = setTimeout(() => resolve(undefined), timeout);
  const game = await promise;
  clearTimeout(timer);
  stop();
  if (found.size === 0) cli.fail(`no game announced within ${timeout} ms`);
  return game;
}
const server = flags.discover ? await discover() : { address: flags.host, port: flags.port };
if (server) play(server);

function play(server: { address: string; port: number }): void {
  // A connected UDP socket: the system delivers only the server's datagrams to it.
  const socket = dgram.createSocket(server.address.includes(':') ? 'udp6' : 'udp4');
  const send = (message: Message) => socket.send(encode(message));
  const stats = { inputs: 0, datagrams: 0, snapshots: 0, outOfOrder: 0, duplicates: 0 };
  let welcome: Extract<Message, { type: 'welcome' }> | undefined;
  let latest: Extract<Message, { type: 'snapshot' }> | undefined;
  let heardAt = Date.now();
  const seen = new Set<number>();
  const playersSeen = new Set<string>();
  let firstTick = 0;

  // The moves sent and not yet acknowledged: each input datagram carries the newest of them, so a
  // move lost with one datagram arrives with the next. Older ones are given up (the server skips them).
  const pending: Array<{ sequence: number; move: Move }> = [];
  let nextSequence = 1;
  const sendInputs = () => {
    if (!welcome) return;
    const moves = pending.slice(-maxMovesPerInput);
    const firstSequence = moves[0]?.sequence ?? nextSequence;
    send({
      type: 'input',
      player: welcome.player,
      token: welcome.token,
      firstSequence,
      moves: moves.map((m) => m.move),
    });
    stats.datagrams++;
  };
  const makeMove = (move: Move) => {
    pending.push({ sequence: nextSequence++, move });
    if (pending.length > maxMovesPerInput) pending.shift();
    stats.inputs++;
    sendInputs();
  };
  const own = () => latest?.players.find((player) => player.id === welcome?.player);
  // Prediction: the server's last word on our position, plus the moves it has not taken yet.
  const predicted = (): Position => pending.reduce((at, { move }) => moved(at, move), own() ?? { x: 0, y: 0 });

  // Snapshots: only the newest counts (a late one is older news), and each one acknowledges our
  // inputs up to a number: those leave `pending`, and the prediction restarts from the server's state.
  function onSnapshot(snapshot: Extract<Message, { type: 'snapshot' }>): void {
    stats.snapshots++;
    firstTick ||= snapshot.tick;
    if (seen.has(snapshot.tick)) return void stats.duplicates++;
    seen.add(snapshot.tick);
    seen.delete(snapshot.tick - 1000);
    if (latest && snapshot.tick < latest.tick) return void stats.outOfOrder++;
    if (!latest && !view)
      console.log(
        `joined ${server.address}:${server.port} as player ${welcome?.player}; ${snapshot.players.length} in the game`,
      );
    latest = snapshot;
    heardAt = Date.now();
    for (const player of snapshot.players) if (playersSeen.size < 100) playersSeen.add(player.name);
    const acknowledged = own()?.ack ?? 0;
    while (pending[0] && pending[0].sequence <= acknowledged) pending.shift();
    view?.draw(frame());
  }
  const frame = (): Frame => {
    const coin = { x: latest?.coinX ?? 0, y: latest?.coinY ?? 0 };
    const status = `tick ${latest?.tick}, ${pending.length} move(s) unacknowledged, ${lost()} snapshot(s) lost`;
    return { me: welcome?.player ?? 0, position: predicted(), coin, players: latest?.players ?? [], status };
  };
  const lost = () => (latest ? Math.max(0, latest.tick - firstTick + 1 - seen.size) : 0);

  socket.on('message', (datagram) => {
    const message = decode(datagram);
    if (message?.type === 'welcome' && !welcome) {
      welcome = message;
      heardAt = Date.now();
      timers.push(setInterval(onTick, message.tickMs));
    }
    if (message?.type === 'refused') finish(`refused by ${server.address}:${server.port}: ${message.reason}`, 1);
    if (message?.type === 'snapshot' && welcome) onSnapshot(message);
    if (message?.type === 'over') finish(`game over: ${message.reason}`, 0);
  });
  socket.on('error', (error) => finish(`${server.address}:${server.port}: ${cli.explain(error)}`, 1));

  // Each tick: the bot moves (or, done, waits for its last moves to be acknowledged); a player's
  // unacknowledged moves go again (an empty input says "still here"); silence for too long ends the game.
  const random = seededRandom(flags.seed ?? Date.now());
  let direction: Move = 4;
  let movesLeft = flags.moves;
  let doneAt = 0;
  function onTick() {
    if (Date.now() - heardAt > timeout) return finish(`no snapshot from the server for ${timeout} ms`, 1);
    if (flags.bot) {
      if (movesLeft-- > 0) {
        if (random() < 0.3) direction = (1 + Math.floor(random() * 4)) as Move;
        return makeMove(direction);
      }
      if (pending.length === 0) return finish(undefined, 0);
      doneAt ||= Date.now();
      if (Date.now() - doneAt > timeout)
        return finish(`${pending.length} move(s) unacknowledged after ${timeout} ms`, 1);
    }
    sendInputs();
  }
  const timers: NodeJS.Timeout[] = [];

  // Joining: a join is sent every 250 ms until the welcome (or a refusal) comes, since either may be lost.
  socket.connect(server.port, server.address, () => {
    const join = encode({ type: 'join', version: 1, name });
    const joining = setInterval(() => (welcome ? clearInterval(joining) : socket.send(join)), 250);
    socket.send(join);
    const noAnswer = () => welcome || finish(`no answer from ${server.address}:${server.port} within ${timeout} ms`, 1);
    timers.push(joining, setTimeout(noAnswer, timeout));
  });
  const view = flags.bot ? undefined : openView(makeMove, () => finish(undefined, 0));
  const stop = () => finish(undefined, 0);
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  // Leaving: told three times (any may be lost; the server also drops a silent player), then the counts.
  let finished = false;
  function finish(why: string | undefined, exitCode: number): void {
    if (finished) return;
    finished = true;
    for (const timer of timers) clearTimeout(timer);
    view?.close();
    if (why && exitCode === 0) console.log(why);
    const acknowledged = own()?.ack ?? 0;
    console.log(`inputs ${stats.inputs} in ${stats.datagrams} datagrams, acknowledged up to ${acknowledged}`);
    const { snapshots, outOfOrder, duplicates } = stats;
    console.log(`snapshots ${snapshots}: lost ${lost()}, out of order ${outOfOrder}, duplicates ${duplicates}`);
    const at = own();
    if (at)
      console.log(
        `final position ${at.x},${at.y} after input ${at.ack}, score ${at.score}; players seen: ${[...playersSeen].join(', ')}`,
      );
    if (why && exitCode !== 0) console.error(`error: ${why}`);
    process.exitCode = exitCode;
    const leave = encode({ type: 'leave', player: welcome?.player ?? 0, token: welcome?.token ?? 0 });
    if (welcome) for (const last of [false, false, true]) socket.send(leave, () => last && socket.close());
    else socket.close();
  }
}
