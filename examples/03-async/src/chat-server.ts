/**
 * A chat room, the application the tutorials list first after file transfer (003 §5), on one event loop with
 * async/await (000 §2.3, 001 §1.7 Q5). The first line a client sends is its nickname; every later line goes to
 * everyone else as "<nick>: <text>". A client that stops reading is dropped once its outgoing buffer passes a cap, so
 * it can neither grow the server's memory nor stall the room. With --redis, several servers share one room
 * (chat-redis.ts): the same code serves the members, only the room behind it changes. It is longer than the other
 * examples (about 200 lines) because a room has more to handle (backpressure, nicknames, shutdown); each part says why.
 *
 * Run:    node examples/03-async/src/chat-server.ts
 * Try:    node examples/03-async/src/chat-client.ts --nick alice    (and bob in another terminal, or: nc 127.0.0.1 8071)
 *         with redis-server running: chat-server.ts --redis redis://127.0.0.1:6379, and again with --port 8073
 * Expect: "* <nick> joined" at the others', then each line one types shows as "<nick>: <line>" at the rest;
 *         the server logs "<nick> joined" and "<nick> left"
 * Stop:   Ctrl+C prints "SIGINT: closing the room (<n> member(s))", tells everyone, prints "stopped", exits 0
 */
import net from 'node:net';
import { nickname, parseLine, type RoomEvent, shown } from './chat-protocol.ts';
import { localRoom, type Members, type Room } from './chat-room.ts';
import * as cli from './cli.ts';
import { LineTooLongError, readLines } from './read-lines.ts';

const flags = cli.parseFlags(
  { name: 'chat-server', about: 'A chat room: send a nickname as your first line, then chat; /quit leaves.' },
  {
    ...cli.listenOn(8071),
    maxClients: cli.integer(100, 'refuse connections beyond N', { min: 1, max: 100_000 }),
    maxLineBytes: cli.integer(4096, 'a longer line gets an error and the connection closes', { min: 1 }),
    maxBufferedBytes: cli.integer(4 * 1024 * 1024, 'drop a client whose unread output passes N bytes', {
      min: 1024,
    }),
    slowReaderTimeout: cli.duration(3000, 'drop a client that reads nothing for MS while others wait'),
    idleTimeout: cli.duration(600_000, 'say goodbye to a client silent for MS'),
    redis: cli.text(
      undefined,
      'share one room with the other servers using this Redis (redis://HOST:PORT, unix:PATH)',
      {
        value: 'URL',
      },
    ),
    redisLease: cli.duration(10_000, "with --redis: a stopped server's members leave the room after MS", 1000),
    redisTimeout: cli.duration(1000, 'with --redis: a Redis command or read unanswered for MS means the link is lost'),
    redisPubsub: cli.toggle('with --redis: publish/subscribe instead of a stream, to see what it loses (README)'),
  },
);
const { host, port, maxClients, maxLineBytes, maxBufferedBytes } = flags;
const { slowReaderTimeout: slowReaderTimeoutMs, idleTimeout: idleTimeoutMs } = flags;

// The room: members by nickname (compared without case), in the order they joined.
interface Member {
  nick: string;
  socket: net.Socket;
}
const members = new Map<string, Member>();
const connections = new Set<net.Socket>();

// Backpressure in a room. A write never blocks, so whatever a member has not read yet waits in
// memory (writableLength). Two limits keep that bounded: past --max-buffered-bytes a member is
// dropped at once; and after each line, the sender waits until everyone has taken in what was
// sent ('drain'), but waits at most --slow-reader-timeout for any one member, who is then dropped.
// A fast sender is thus slowed to the pace of the room, and one stuck reader cannot stall it.
function send(member: Member, text: string): void {
  if (member.socket.destroyed || member.socket.writableEnded) return;
  member.socket.write(text);
  if (member.socket.writableLength > maxBufferedBytes) drop(member, `over ${maxBufferedBytes} bytes waiting`);
}
function drop(member: Member, why: string): void {
  member.socket.destroy();
  leave(member, `was dropped (not reading: ${why})`);
}
function drainedOrDropped(member: Member): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      member.socket.off('drain', done).off('close', done);
      resolve();
    };
    const timer = setTimeout(() => {
      drop(member, `nothing read for ${slowReaderTimeoutMs} ms`);
      done();
    }, slowReaderTimeoutMs);
    member.socket.on('drain', done).on('close', done);
  });
}
async function waitForTheRoom(): Promise<void> {
  const behind = [...members.values()].filter((member) => member.socket.writableNeedDrain && !member.socket.destroyed);
  await Promise.all(behind.map(drainedOrDropped));
}
function leave(member: Member, how: string): void {
  if (members.get(member.nick.toLowerCase()) !== member) return;
  members.delete(member.nick.toLowerCase());
  console.log(`${member.nick} ${how}`);
  void room.leave(member.nick, how);
}

// The room: this process's memory, or with --redis one room shared by every server (chat-redis.ts).
// Either way it calls back here to hand each event to the members on this server.
const here: Members = {
  deliver(event: RoomEvent, to = () => true) {
    const text = shown(event);
    for (const member of [...members.values()]) if (member.nick !== event.nick && to(member.nick)) send(member, text);
  },
  notice: (text) => {
    for (const member of [...members.values()]) send(member, text);
  },
  expel(nick, why) {
    const member = members.get(nick.toLowerCase());
    members.delete(nick.toLowerCase());
    member?.socket.end(`* ${why}; join again\n`);
  },
};
// The Redis client is loaded only when it is used: it costs a single room some 25 MB for nothing.
const shared = { url: flags.redis ?? '', leaseMs: flags.redisLease, timeoutMs: flags.redisTimeout, maxLineBytes };
const sharedRoom = async () =>
  flags.redisPubsub ? (await import('./chat-redis-pubsub.ts')).pubsubRoom : (await import('./chat-redis.ts')).redisRoom;
const room: Room = flags.redis
  ? await (await sharedRoom())(here, shared).catch((error: NodeJS.ErrnoException) =>
      cli.fail(`cannot reach Redis at ${flags.redis}: ${cli.explain(error)}`),
    )
  : localRoom(here);

function nicknameProblem(nick: string): string | undefined {
  if (!nickname.test(nick)) return 'a nickname is 1 to 20 letters, digits, _ or -';
  if (members.size >= maxClients) return 'the room is full';
  return undefined;
}

// One client, top to bottom: a nickname, then messages until /quit, EOF, an error or shutdown.
async function handle(socket: net.Socket): Promise<void> {
  const lines = readLines(socket, maxLineBytes);
  const first = await lines.next();
  if (first.done) return void socket.end();
  const nick = first.value.trim();
  const unreachable = { problem: 'the room is unreachable from this server; try again soon' };
  const claim = nicknameProblem(nick) ?? (await room.join(nick).catch(() => unreachable));
  if (typeof claim === 'string' || 'problem' in claim) {
    return void socket.end(`error: ${typeof claim === 'string' ? claim : claim.problem}\n`);
  }
  const member: Member = { nick, socket };
  members.set(nick.toLowerCase(), member);
  if (socket.destroyed) return leave(member, 'left (connection closed)'); // gone while the room was asked
  console.log(`${nick} joined`);
  const { others } = claim;
  send(member, `welcome ${nick}! ${others.length > 0 ? `here: ${others.join(', ')}` : 'nobody else is here yet'}\n`);
  // At shutdown the room may let everyone here go first (chat-redis.ts); either way the others read the same reason.
  socket.on('close', () => leave(member, stopping ? 'left (server shutting down)' : 'left (connection closed)'));

  try {
    for await (const line of lines) {
      const said = parseLine(line);
      if (said.kind === 'quit') {
        socket.end(`bye ${nick}\n`);
        return leave(member, 'left');
      }
      // What one member typed reaches every other member's terminal (relayed() escapes it).
      if (said.kind === 'message')
        await room.say(nick, said.text).catch((error: Error) => {
          send(member, `* not sent: ${error.message}\n`);
        });
      await waitForTheRoom();
    }
    socket.end();
  } catch (error) {
    if (!(error instanceof LineTooLongError)) throw error;
    socket.end(`error: ${error.message}\n`);
    leave(member, 'left (line too long)');
  }
}

// noDelay: a chat line is small and wanted now. Without it, Nagle's algorithm holds a line back while an earlier
// one is unacknowledged, and the peer's delayed ACK makes that tens of milliseconds (README, "Figures").
const server = net.createServer({ noDelay: true }, (socket) => {
  const peer = cli.peerOf(socket);
  connections.add(socket);
  socket.on('close', () => connections.delete(socket));
  socket.on('error', (error: NodeJS.ErrnoException) => {
    console.error(`error ${peer}: ${error.code ?? error.message}`);
  });
  socket.setTimeout(idleTimeoutMs, () => socket.end(`bye: idle for ${idleTimeoutMs} ms\n`));
  handle(socket).catch((error: Error) => {
    console.error(`error: ${error.message}`);
    socket.destroy();
  });
});
// Connections that have not sent a nickname yet count too, so the cap is on sockets.
server.maxConnections = maxClients + 10;

// Shutdown: stop accepting, tell everyone, let the notices flush; cut stragglers after 3 s.
let stopping = false;
function shutdown(signal: NodeJS.Signals): void {
  if (cli.alreadyStopping(signal)) return;
  stopping = true;
  console.log(`${signal}: closing the room (${members.size} member(s))`);
  // Once the last connection has closed (and its leave was sent), the room can go.
  server.close(() => void room.close());
  // Once nothing is left for the event loop the process exits, and only then is "stopped" true.
  process.on('exit', (code) => code === 0 && console.log('stopped'));
  for (const socket of connections) if (!socket.writableEnded) socket.end('* server shutting down\n');
  setTimeout(() => {
    for (const socket of connections) socket.destroy();
  }, 3000).unref();
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

// Start-up failures (port in use, permission denied) are expected: one line, exit 1.
server.on('error', (error) => cli.cannotListen(error, host, port));
server.listen({ host, port }, () => {
  cli.printListening('tcp', server.address());
});
