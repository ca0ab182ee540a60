/**
 * One room across several chat-server nodes (000 §5, where server programs outgrow one process), through Redis
 * (node-redis, the `redis` package). Every event goes into one Redis stream; each node reads it from the last entry it
 * has seen, so all members everywhere see the same lines in the same order, and a node that lost Redis for a moment
 * catches up, in order and once, when it is back. Publish/subscribe would be simpler and is what most chat examples
 * use, but a message published while a node is disconnected is gone for that node (README, "Why a stream").
 * Nicknames are claimed in a hash by Lua scripts, which Redis runs whole, so two nodes cannot both take one. Each
 * node holds a lease it renews every third of it; a node that stops renewing (killed, cut off) has its members' departures
 * announced by whichever node next finds the lease expired. Every command has a timeout and nothing is queued while
 * Redis is unreachable: a member's line is refused with the reason instead. Longer than most files, as it is the
 * whole of the shared room; the scripts are in chat-redis-scripts.ts.
 */
import { hostname } from 'node:os';
import { createClient } from 'redis';
import { roomEvent } from './chat-protocol.ts';
import { heartbeatScript, joinScript, keys, leaveScript, log, nodesKey } from './chat-redis-scripts.ts';
import type { Members, Room } from './chat-room.ts';

export interface RedisRoomOptions {
  url: string;
  /** How long a node's members stay in the room after its last renewal. */
  leaseMs: number;
  /** How long any one command may take, and how long a read may stay unanswered, before the link counts as lost. */
  timeoutMs: number;
  maxLineBytes: number;
}

const history = 10_000; // entries the stream keeps: a node away for longer than that many lines misses some

/** Connects (or throws why it cannot: the caller says so in one line and exits 1) and starts following the room. */
export async function redisRoom(members: Members, options: RedisRoomOptions): Promise<Room> {
  const { leaseMs, timeoutMs, maxLineBytes } = options;
  const node = `${hostname()}:${process.pid}`;
  const local = new Map<string, { nick: string; since: string }>(); // lower case → when its join entry was written
  let closing = false;
  let linked = true;
  let started = false; // until both clients are connected once, a failed connect is final (the caller exits)

  // Commands fail at once while disconnected (no offline queue) and after timeoutMs even when sent. The reader
  // never reconnects by itself: its loop below makes a fresh one every few hundred ms, where node-redis's own
  // backoff would by then wait seconds.
  const connect = (reconnects = true) =>
    createClient({
      ...where(options.url, timeoutMs, () => started && reconnects),
      disableOfflineQueue: true,
      commandOptions: { timeout: timeoutMs, rejectInFlight: true },
    }).on('error', () => {}); // each failure reaches the command that hit it; the link state says the rest
  let commands = connect();
  await commands.connect();
  let reader = connect(false);
  await reader.connect();
  started = true;

  // The node's lease: renewed every third of it; the same script finds other nodes' expired leases. Only a node
  // that has renewed without a break for a whole lease may: after Redis was away for everyone, each node gets a
  // lease's time to renew before anyone's members are let go.
  let renewingSince: number | undefined;
  const renew = async (how = 'left (connection closed)') => {
    const here = [...local.keys()];
    const mayExpire = renewingSince !== undefined && Date.now() - renewingSince >= leaseMs;
    const lost = (await commands
      .eval(heartbeatScript, {
        keys,
        arguments: [node, String(leaseMs), String(history), how, mayExpire ? '1' : '0', ...here],
      })
      .catch((error: Error) => {
        renewingSince = undefined;
        throw error;
      })) as string[];
    renewingSince ??= Date.now();
    for (const lower of lost) {
      const member = local.get(lower);
      local.delete(lower);
      if (member)
        members.expel(
          member.nick,
          `the room no longer counts you (it restarted empty, or this server was away for over ${leaseMs} ms)`,
        );
    }
  };
  await renew();
  const renewal = setInterval(() => renew().catch(() => {}), leaseMs / 3);

  // Read the stream from its current end; from then on, always from the last entry seen.
  let lastId = (await commands.xRevRange(log, '+', '-', { COUNT: 1 }))?.[0]?.id ?? '0-0';
  let malformed = 0;
  const follow = async () => {
    while (!closing) {
      try {
        const signal = AbortSignal.timeout(timeoutMs + 1000);
        const reply = await reader
          .withCommandOptions({ abortSignal: signal, rejectInFlight: true })
          .xRead({ key: log, id: lastId }, { BLOCK: 1000, COUNT: 1000 });
        if (!linked && !commands.isReady) {
          // Members hear "restored" only once what they type can get through too. The command client's reconnect
          // backoff may have grown to seconds by now, so connect it afresh; then read again from the same entry.
          commands.destroy();
          commands = connect();
          await commands.connect().catch(() => {});
          continue;
        }
        if (!linked) setLinked(true);
        for (const { id, message } of reply?.[0]?.messages ?? []) {
          lastId = id;
          const event = roomEvent(message as Record<string, string>, maxLineBytes);
          if (!event) console.error(`dropped a malformed room entry ${id} (${++malformed} so far)`);
          // A member gets only what happened after it joined, as on one node.
          else members.deliver(event, (nick) => after(id, local.get(nick.toLowerCase())?.since));
        }
      } catch {
        if (closing) return;
        if (linked) setLinked(false);
        // A read that timed out may be stuck behind a dead connection: start a new one.
        reader.destroy();
        await new Promise((resolve) => setTimeout(resolve, 250 + Math.random() * 250));
        reader = connect(false);
        await reader.connect().catch(() => {});
      }
    }
  };
  const setLinked = (up: boolean) => {
    linked = up;
    console.log(up ? 'link to redis restored' : 'link to redis lost');
    members.notice(up ? '* link restored\n' : '* link to the room lost\n');
  };
  const following = follow();

  return {
    async join(nick) {
      if (!linked) throw new Error('no link to the room'); // chat-server tells the member to try again soon
      local.set(nick.toLowerCase(), { nick, since: '~' }); // counted in renewals from now, sees nothing yet
      const claimed = (await commands
        .eval(joinScript, { keys, arguments: [node, nick, String(history)] })
        .catch((error: Error) => {
          local.delete(nick.toLowerCase());
          throw error;
        })) as [string, string[]] | null;
      if (!claimed) {
        local.delete(nick.toLowerCase());
        return { problem: `the nickname ${nick} is taken` };
      }
      local.set(nick.toLowerCase(), { nick, since: claimed[0] });
      return { others: claimed[1].sort() };
    },
    async say(nick, text) {
      if (!linked) throw new Error('no link to the room');
      const trim = { strategy: 'MAXLEN', strategyModifier: '~', threshold: history } as const;
      await commands.xAdd(log, '*', { kind: 'say', nick, text }, { TRIM: trim });
    },
    async leave(nick, how) {
      local.delete(nick.toLowerCase());
      // If this fails, the next renewal (which lists who is still here) announces the departure.
      await commands.eval(leaveScript, { keys, arguments: [node, nick, how, String(history)] }).catch(() => {});
    },
    async close() {
      closing = true;
      clearInterval(renewal);
      reader.destroy();
      await following;
      // Whoever is still counted here leaves now, in one step, rather than when the lease runs out.
      local.clear();
      await renew('left (server shutting down)').catch(() => {});
      await commands.zRem(nodesKey, node).catch(() => {});
      await commands.close();
    },
  };
}

/** Whether stream entry `id` ("<ms>-<seq>") comes after `since`; "~" is a join not yet written. */
function after(id: string, since: string | undefined): boolean {
  if (since === undefined || since === '~') return false;
  const [ms = 0n, seq = 0n] = id.split('-').map(BigInt);
  const [sinceMs = 0n, sinceSeq = 0n] = since.split('-').map(BigInt);
  return ms > sinceMs || (ms === sinceMs && seq > sinceSeq);
}

/** redis://host:port as node-redis takes it, and unix:/path/to/socket for a local socket file. */
export function where(url: string, connectTimeout: number, retry: () => boolean) {
  // Reconnect after 100 ms, 200 ms … at most 2 s apart, each wait shortened by up to half at random,
  // so that the nodes do not all come back at the same instant after Redis restarts. Before the first
  // connection, give up at once (false), so the caller can say why.
  const reconnectStrategy = (retries: number) =>
    retry() && Math.min(2000, 100 * 2 ** retries) * (1 - Math.random() / 2);
  const socket = { connectTimeout, reconnectStrategy };
  return url.startsWith('unix:') ? { socket: { ...socket, path: url.slice('unix:'.length) } } : { url, socket };
}
