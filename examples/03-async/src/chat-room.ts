/**
 * What chat-server.ts needs from a room, and the room that lives in one process's memory. The server keeps its
 * members' connections (their nicknames, their backpressure); the room decides who may join under which name and
 * puts every event in one order. Alone, that order is the order the event loop runs things in; with --redis, it is
 * the order of a Redis stream that every node reads (chat-redis.ts), behind the same interface.
 */
import type { RoomEvent } from './chat-protocol.ts';

/** The server's side, which the room calls back: its own members, by nickname. */
export interface Members {
  /** Sends an event's line to the members it is for (the author never gets its own line back). */
  deliver(event: RoomEvent, to?: (nick: string) => boolean): void;
  /** A line about the room itself, such as "* link to the room lost", to every member here. */
  notice(text: string): void;
  /** Ends a member's connection that the room no longer counts (it was away too long). */
  expel(nick: string, why: string): void;
}

export interface Room {
  /** Claims a nickname: the others present, or why not (only "taken" is the room's to say). */
  join(nick: string): Promise<{ others: string[] } | { problem: string }>;
  /** Puts what a member said in the room's order; rejects with the reason if it did not get there. */
  say(nick: string, text: string): Promise<void>;
  leave(nick: string, how: string): Promise<void>;
  close(): Promise<void>;
}

/** The room as one process holds it: a set of nicknames, events delivered as they happen. */
export function localRoom(members: Members): Room {
  const nicks = new Map<string, string>(); // lower case → as typed, in the order they joined
  return {
    async join(nick) {
      if (nicks.has(nick.toLowerCase())) return { problem: `the nickname ${nick} is taken` };
      const others = [...nicks.values()];
      nicks.set(nick.toLowerCase(), nick);
      members.deliver({ kind: 'join', nick });
      return { others };
    },
    async say(nick, text) {
      members.deliver({ kind: 'say', nick, text });
    },
    async leave(nick, how) {
      if (nicks.delete(nick.toLowerCase())) members.deliver({ kind: 'leave', nick, how });
    },
    async close() {},
  };
}
