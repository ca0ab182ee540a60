/** Properties of 03-async's chat lines: commands and messages are told apart the same with \n or \r\n, and what is relayed is one safe line. */
import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { nickname, parseLine, relayed } from '../../../examples/03-async/src/chat-protocol.ts';

const ending = fc.constantFrom('\n', '\r\n', '');
const anyText = fc
  .string({
    unit: fc.oneof(
      fc.string({ minLength: 1, maxLength: 1, unit: 'grapheme' }),
      fc.constantFrom('\x1b', '\r', '\x07', '\u009b', '\t'),
    ),
    maxLength: 60,
  })
  .filter((text) => !text.includes('\n'));

test.prop([anyText, ending])('a line means the same whatever its ending', (text, end) => {
  fc.pre(!text.endsWith('\r')); // "x\r" + "\n" is "x" with a \r\n ending
  expect(parseLine(`${text}${end}`)).toEqual(parseLine(`${text}\n`));
});

test.prop([ending])('/quit is the only command, and an empty line is not a message', (end) => {
  expect(parseLine(`/quit${end}`)).toEqual({ kind: 'quit' });
  expect(parseLine(end)).toEqual({ kind: 'empty' });
  expect(parseLine(`/quit now${end}`)).toEqual({ kind: 'message', text: '/quit now' });
});

test.prop([fc.stringMatching(nickname), anyText])(
  'what the others receive is one line, with no control character but tab',
  (nick, text) => {
    const line = relayed(nick, text);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toMatch(/[\x00-\x08\x0a-\x1f\x7f-\x9f]/);
    expect(line.startsWith(`${nick}: `)).toBe(true);
  },
);

test.prop([fc.string({ maxLength: 30 })])('an accepted nickname is short and plain', (nick) => {
  fc.pre(nickname.test(nick));
  expect(nick.length).toBeLessThanOrEqual(20);
  expect(nick).toMatch(/^[\x21-\x7e]+$/);
  expect(nick).not.toMatch(/[:\s*]/);
});
