/**
 * A small real-time game over UDP, the network game the tutorials name (002 §5, 003 §5). The server is the
 * authority: 20 times a second it applies the moves that came in, then sends every player one snapshot of the whole
 * arena that also says which input of each player it includes. A lost snapshot does not matter, the next one
 * replaces it; a lost input is carried again in the next one. It announces itself on the local network by multicast
 * (game-announce.ts). What it checks before it believes a datagram is in game-world.ts. It runs to about 150 lines
 * because joining, the tick, the snapshots and the shutdown are one loop that reads best in one place.
 *
 * Run:    node examples/05-udp/src/game-server.ts
 * Try:    node examples/05-udp/src/game-client.ts     (arrows or WASD; or --bot --seed 1 without a terminal)
 * Expect: "joined <name> as player 1 from 127.0.0.1:<port>"; when it quits,
 *         "left <name> (quit) at <x>,<y> after input <n>, score <n>"
 * Stop:   Ctrl+C prints "told <n> player(s) the game is over", then "ticks <n> (late <n>, longest <ms> ms); ignored
 *         malformed <n>, spoofed <n>, stale <n>, over rate <n>", then "stopped"
 */
import dgram from 'node:dgram';
import * as cli from './cli.ts';
import { announce } from './game-announce.ts';
import { discoveryFlags } from './game-discovery.ts';
import { decode, encode, type Message, protocolVersion, validName } from './game-protocol.ts';
import { type Ignored, type Player, World } from './game-world.ts';

const flags = cli.parseFlags(
  { name: 'game-server', about: 'Runs a small real-time game over UDP and announces it on the local network.' },
  {
    ...cli.listenOn(9093),
    name: cli.text('arena', 'the name games are announced with (letters, digits, - and _)'),
    maxPlayers: cli.integer(16, 'players at most (40 keeps a snapshot under 1,000 bytes)', { min: 1, max: 40 }),
    tick: cli.duration(50, 'time between ticks (50 ms: 20 a second)', 10),
    idleTimeout: cli.duration(3000, 'a player silent this long leaves the game', 100),
    inputRate: cli.integer(30, 'moves a player may make per second; faster ones are refused', { min: 1, max: 1000 }),
    ...discoveryFlags,
    interface: cli.text(undefined, 'local address to announce on (default: --host)', { value: 'ADDRESS' }),
    announceEvery: cli.duration(1000, 'time between announcements, 0 for none', 0),
    broadcast: cli.toggle('announce by broadcast rather than multicast'),
  },
);
const { host, port, maxPlayers, tick: tickMs, idleTimeout, inputRate } = flags;
if (!validName(flags.name)) cli.fail(`--name must be 1 to 12 letters, digits, - or _, got '${flags.name}'`);

const world = new World({ maxPlayers, inputRate });
const socket = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
const send = (message: Message | Buffer, to: { address: string; port: number }) =>
  socket.send(Buffer.isBuffer(message) ? message : encode(message), to.port, to.address);

// Every datagram is checked before it is believed: its shape (game-protocol.ts), then that it comes
// from the address the player joined from and carries the player's token (game-world.ts).
socket.on('message', (datagram, sender) => {
  const message = decode(datagram);
  if (message?.type === 'join') return join(message, sender);
  if (message?.type !== 'input' && message?.type !== 'leave') return ignore('malformed', datagram, sender);
  const player = world.sender(message, sender, Date.now());
  if (typeof player === 'string') return ignore(player, datagram, sender);
  if (message.type === 'leave') return leave(player, 'quit');
  world.takeMoves(player, message.firstSequence, message.moves);
});

// A join is answered with a welcome (an id and a token) or a refusal with its reason, never with
// more bytes than the join had (it is padded), so a forged sender address gains an attacker nothing.
// Snapshots start only once the player has sent the token back, which proves the address is theirs.
function join(request: Extract<Message, { type: 'join' }>, sender: dgram.RemoteInfo): void {
  const answer =
    request.version === protocolVersion
      ? world.join(request.name, sender, Date.now())
      : { refused: `version ${request.version} unknown; this is ${protocolVersion}` };
  if ('refused' in answer) {
    console.log(`refused ${sender.address}:${sender.port}: ${answer.refused}`);
    send({ type: 'refused', reason: answer.refused }, sender);
    return;
  }
  const { player, isNew } = answer;
  if (isNew) console.log(`joined ${player.name} as player ${player.id} from ${sender.address}:${sender.port}`);
  send(world.welcome(player, tickMs), sender);
}

function leave(player: Player, why: string): void {
  world.players.delete(player.id);
  const { name, x, y, ack, score } = player;
  console.log(`left ${name} (${why}) at ${x},${y} after input ${ack}, score ${score}`);
}

// The tick: the silent leave, the moves are applied, then one snapshot goes to everyone. Ticks are
// scheduled against the clock, not one after another, so a slow tick does not push later ones back.
const startedAt = performance.now();
const ticks = { count: 0, late: 0, longestMs: 0 };
let nextTick = setTimeout(runTick, tickMs);
function runTick(): void {
  const began = performance.now();
  ticks.count++;
  if (began - (startedAt + ticks.count * tickMs) > tickMs) ticks.late++;
  for (const player of world.silentSince(Date.now() - idleTimeout)) leave(player, `silent for ${idleTimeout} ms`);
  world.step(tickMs);
  const snapshot = encode(world.snapshot(ticks.count));
  for (const player of world.players.values()) if (player.confirmed) send(snapshot, player);
  ticks.longestMs = Math.max(ticks.longestMs, performance.now() - began);
  nextTick = setTimeout(runTick, Math.max(0, startedAt + (ticks.count + 1) * tickMs - performance.now()));
}

// On UDP anyone can send anything: what is not a well-formed message from a player is counted by
// kind, and the first few are logged (never their bytes, which could hold terminal commands).
function ignore(kind: Ignored, datagram: Buffer, sender: dgram.RemoteInfo): void {
  const { ignored } = world;
  ignored[kind]++;
  if (kind === 'stale') return; // late and repeated datagrams are normal on UDP: only counted
  const total = ignored.malformed + ignored.spoofed;
  if (total <= 5) console.log(`ignored ${datagram.length} bytes from ${sender.address}:${sender.port} (${kind})`);
  if (total === 5) console.log('(further ignored datagrams are only counted)');
}

let listening = false;
socket.on('error', (error: NodeJS.ErrnoException) => {
  if (!listening) cli.cannotListen(error, host, port);
  console.error(`error: ${cli.explain(error)}`);
});

// Shutdown: no more ticks, announcements or datagrams taken in; each player is told the game is
// over, three times, since a datagram may be lost (one that misses all three notices the silence).
let stopAnnouncing = () => {};
function shutdown(signal: NodeJS.Signals): void {
  if (cli.alreadyStopping(signal)) return;
  clearTimeout(nextTick);
  stopAnnouncing();
  socket.removeAllListeners('message');
  console.log(`${signal}: stopping`);
  const over = encode({ type: 'over', reason: 'server stopping' });
  const goodbyes = [...world.players.values()].flatMap((player) =>
    [1, 2, 3].map(() => new Promise((sent) => socket.send(over, player.port, player.address, sent))),
  );
  console.log(`told ${world.players.size} player(s) the game is over`);
  const counts = Object.entries(world.ignored).map(([kind, count]) => `${kind} ${count}`);
  console.log(
    `ticks ${ticks.count} (late ${ticks.late}, longest ${ticks.longestMs.toFixed(1)} ms); ignored ${counts.join(', ')}`,
  );
  // The socket closes once the goodbyes have left: closing it at once would drop them.
  Promise.all(goodbyes).then(() => socket.close(() => console.log('stopped')));
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

socket.bind({ address: host, port }, () => {
  listening = true;
  // Discovery here is IPv4 multicast; a server on an IPv6 address is found by its address only.
  if (flags.announceEvery > 0 && !host.includes(':')) {
    const announcement = () => encode({ type: 'announce', name: flags.name, players: world.players.size, maxPlayers });
    const [description, stop] = announce(socket, { ...flags, via: flags.interface ?? host }, announcement);
    stopAnnouncing = stop;
    console.log(description);
  }
  cli.printListening('udp', socket.address());
});
