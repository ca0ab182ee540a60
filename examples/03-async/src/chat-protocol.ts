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
