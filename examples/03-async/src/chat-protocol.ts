/**
 * The chat room's lines, for chat-server.ts: the first line a client sends is its nickname, every
 * later one is a message for the others or "/quit". What one member typed is shown on the other
 * members' terminals, so it goes out as one line with its control characters escaped.
 */
import { printable } from './cli.ts';

/** 1 to 20 letters, digits, _ or -: nothing a terminal or a log would misread. */
export const nickname = /^[A-Za-z0-9_-]{1,20}$/;

export type ChatLine = { kind: 'quit' } | { kind: 'empty' } | { kind: 'message'; text: string };

/** What a line a member sent (with its "\n" or "\r\n") asks for. */
export function parseLine(line: string): ChatLine {
  const text = line.replace(/\r?\n$/, '');
  if (text === '/quit') return { kind: 'quit' };
  return text === '' ? { kind: 'empty' } : { kind: 'message', text };
}

/** The line the others receive: "<nick>: <text>\n", safe for their terminals. */
export function relayed(nick: string, text: string): string {
  return `${nick}: ${printable(text)}\n`;
}

/** What happens in a room, in the one order every member sees it. */
export type RoomEvent =
  | { kind: 'join'; nick: string }
  | { kind: 'leave'; nick: string; how: string }
  | { kind: 'say'; nick: string; text: string };

/** The line the members other than its author receive for an event. */
export function shown(event: RoomEvent): string {
  if (event.kind === 'say') return relayed(event.nick, event.text);
  return `* ${event.nick} ${event.kind === 'join' ? 'joined' : printable(event.how)}\n`;
}

/**
 * An entry read back from a shared room (chat-redis.ts) as an event, or undefined when it is not
 * one this room writes: anyone who can write to Redis can write there, so an entry is checked
 * like a line from the network, by the same rules.
 */
export function roomEvent(fields: Record<string, string>, maxLineBytes: number): RoomEvent | undefined {
  const { kind, nick = '', text = '', how = '' } = fields;
  if (!nickname.test(nick)) return undefined;
  if (kind === 'join') return { kind, nick };
  if (kind === 'leave' && how !== '' && how.length <= 100) return { kind, nick, how };
  if (kind === 'say' && text !== '' && Buffer.byteLength(text) <= maxLineBytes) return { kind, nick, text };
  return undefined;
}
