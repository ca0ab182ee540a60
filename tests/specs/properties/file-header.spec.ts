/** Properties of 01-socket's file-transfer header: it round-trips, and no name it accepts can leave the directory. */
import path from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { formatHeader, maxNameBytes, nameProblem, parseHeader } from '../../../examples/01-socket/src/file-protocol.ts';

const maxBytes = 1 << 30;
const sha256 = fc.stringMatching(/^[0-9a-f]{64}$/);
// Names made of the characters that matter here: separators, dots, controls, spaces and letters.
const anyName = fc.string({
  unit: fc.oneof(
    fc.constantFrom('/', '\\', '.', '\0', '\x1b', '\r', '\u009b', ' ', '~'),
    fc.string({ minLength: 1, maxLength: 1, unit: 'grapheme' }),
  ),
  maxLength: 300,
});

test.prop([fc.integer({ min: 0, max: maxBytes }), sha256, anyName])(
  'a header with a safe name round-trips through its line',
  (size, hash, name) => {
    fc.pre(nameProblem(name) === undefined);
    const line = formatHeader({ size, sha256: hash, name });
    expect(line.endsWith('\n') && line.indexOf('\n') === line.length - 1).toBe(true);
    expect(parseHeader(line.slice(0, -1), maxBytes)).toEqual({ size, sha256: hash, name });
    expect(parseHeader(`${line.slice(0, -1)}\r`, maxBytes)).toEqual({ size, sha256: hash, name });
  },
);

test.prop([anyName])('every accepted name is one plain entry in the directory; the rest are refused', (name) => {
  const directory = path.resolve('/srv/files');
  const line = `SEND 1 ${'0'.repeat(64)} ${name}`;
  let accepted: string | undefined;
  try {
    accepted = parseHeader(line, maxBytes).name;
  } catch (error) {
    // A \r at the very end is the \r of a \r\n line end, not part of the name; a line break
    // inside the name makes the whole line malformed.
    const problem = /[\u2028\u2029]|\r./su.test(name) ? /^malformed header/ : nameProblem(name.replace(/\r$/, ''));
    expect(problem).toBeDefined();
    expect((error as Error).message).toMatch(problem as string | RegExp);
    return;
  }
  expect(accepted).toBe(name.replace(/\r$/, ''));
  const target = path.resolve(directory, accepted);
  expect(path.dirname(target)).toBe(directory);
  expect(path.basename(target)).toBe(accepted);
  expect(accepted).not.toMatch(/^\.|\.\.|[/\\\x00-\x1f\x7f-\x9f]/);
  expect(Buffer.byteLength(accepted)).toBeLessThanOrEqual(maxNameBytes);
});

test.prop([fc.integer({ min: 0, max: 2 ** 50 }), fc.integer({ min: 0, max: 2 ** 40 }), sha256])(
  'a size over the limit is refused, one within it is not',
  (size, limit, hash) => {
    const line = `SEND ${size} ${hash} notes.txt`;
    if (size > limit) expect(() => parseHeader(line, limit)).toThrow(/over the limit/);
    else expect(parseHeader(line, limit).size).toBe(size);
  },
);

test.prop([fc.string({ maxLength: 100 })])('anything that is not a header is refused with a reason', (line) => {
  fc.pre(!/^SEND \d{1,16} [0-9a-f]{64} /.test(line));
  expect(() => parseHeader(line, maxBytes)).toThrow(/^malformed header/);
});
