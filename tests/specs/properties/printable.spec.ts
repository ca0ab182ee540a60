/** Properties of the contract file's printable(): nothing a terminal obeys gets through, and plain text is untouched. */
import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { printable } from '../../../shared/src/cli.ts';

const controls = /[\x00-\x08\x0a-\x1f\x7f-\x9f]/;
const hostile = fc.string({
  unit: fc.oneof(
    fc.integer({ min: 0, max: 0x9f }).map((code) => String.fromCharCode(code)),
    fc.string({ minLength: 1, maxLength: 1, unit: 'grapheme' }),
  ),
});

test.prop([hostile])('the output has no control character but tab', (text) => {
  expect(printable(text)).not.toMatch(controls);
});

test.prop([hostile])('each control character becomes its visible escape, everything else stays', (text) => {
  const expected = [...text]
    .map((c) => (controls.test(c) ? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}` : c))
    .join('');
  expect(printable(text)).toBe(expected);
});

test.prop([fc.string({ unit: 'grapheme' })])('text without control characters is printed as it is', (text) => {
  fc.pre(!controls.test(text));
  expect(printable(text)).toBe(text);
});
