/**
 * The room over Redis publish/subscribe: what most chat examples do, kept here to show what it loses (README, "Why
 * a stream"). PUBLISH hands a message to the subscribers connected at that moment and keeps nothing, so a node whose
 * subscription is down for a moment (a broken link, a Redis restart) never gets what was published meanwhile; it
 * resubscribes and carries on as if nothing had been said. chat-redis.ts reads a stream from its last entry instead.
 * Only the delivery is shared here: nicknames are unique per node, as the contrast needs nothing more.
 */
import { createClient } from 'redis';
import { type RoomEvent, roomEvent } from './chat-protocol.ts';
import { type RedisRoomOptions, where } from './chat-redis.ts';
import type { Members, Room } from './chat-room.ts';

const channel = 'chat:pubsub';

export async function pubsubRoom(members: Members, options: RedisRoomOptions): Promise<Room> {
  let started = false;
  const connect = () =>
    createClient({
      ...where(options.url, options.timeoutMs, () => started),
      disableOfflineQueue: true,
      commandOptions: { timeout: options.timeoutMs },
    });
  const publisher = connect();
  const subscriber = connect();
  await publisher.connect();
  await subscriber.connect();
  started = true;

  // The link is up when both clients are: node-redis reconnects each, and resubscribes, by itself.
  let linked = true;
  const setLinked = (up: boolean) => {
    if (linked === up) return;
    linked = up;
    console.log(up ? 'link to redis restored' : 'link to redis lost');
    members.notice(up ? '* link restored\n' : '* link to the room lost\n');
  };
  for (const client of [publisher, subscriber]) {
    client.on('error', () => setLinked(false)).on('ready', () => setLinked(publisher.isReady && subscriber.isReady));
  }
  let malformed = 0;
  await subscriber.subscribe(channel, (message) => {
    let event: RoomEvent | undefined;
    try {
      event = roomEvent(JSON.parse(message), options.maxLineBytes);
    } catch {}
    if (event) members.deliver(event);
    else console.error(`dropped a malformed room message (${++malformed} so far)`);
  });

  const nicks = new Map<string, string>(); // this node's members: lower case → as typed
  const publish = async (event: RoomEvent) => {
    if (!linked) throw new Error('no link to the room');
    await publisher.publish(channel, JSON.stringify(event));
  };
  return {
    async join(nick) {
      if (nicks.has(nick.toLowerCase())) return { problem: `the nickname ${nick} is taken` };
      await publish({ kind: 'join', nick });
      nicks.set(nick.toLowerCase(), nick);
      return { others: [...nicks.values()].filter((other) => other !== nick) };
    },
    say: (nick, text) => publish({ kind: 'say', nick, text }),
    async leave(nick, how) {
      if (nicks.delete(nick.toLowerCase())) await publish({ kind: 'leave', nick, how }).catch(() => {});
    },
    async close() {
      await subscriber.close().catch(() => {});
      await publisher.close().catch(() => {});
    },
  };
}
