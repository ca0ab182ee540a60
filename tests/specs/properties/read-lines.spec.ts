/** Properties of 03-async's line reader: any chunking gives the same lines, and a long line is refused in bounded memory. */
import { Readable } from 'node:stream';
import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { LineTooLongError, readLines } from '../../../examples/03-async/src/read-lines.ts';

/** Cuts `bytes` at the given offsets: the same byte stream, delivered the way TCP might. */
function chunked(bytes: Uint8Array, cuts: number[]): Buffer[] {
  const at = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  return [0, ...at]
    .map((start, i) => Buffer.from(bytes.subarray(start, at[i] ?? bytes.length)))
    .filter((c) => c.length);
}

/** What the lines must be: the input cut after every \n, decoded one line at a time. */
function expectedLines(bytes: Buffer): string[] {
  const lines: string[] = [];
  let start = 0;
  for (let newline = bytes.indexOf(10); newline !== -1; newline = bytes.indexOf(10, start)) {
    lines.push(bytes.toString('utf8', start, newline + 1));
    start = newline + 1;
  }
  if (start < bytes.length) lines.push(bytes.toString('utf8', start));
  return lines;
}

async function collect(chunks: Buffer[], maxLineBytes: number): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of readLines(Readable.from(chunks), maxLineBytes)) lines.push(line);
  return lines;
}

// Text with many line ends (\n and \r\n) and multi-byte characters, as bytes.
const text = fc
  .array(fc.oneof(fc.string({ unit: 'grapheme' }), fc.constantFrom('\n', '\r\n', 'é', '€', '😀')), { maxLength: 40 })
  .map((parts) => Buffer.from(parts.join('')));

test.prop([text, fc.array(fc.nat(), { maxLength: 20 })])(
  'any chunking of any byte stream yields the same lines, and they add up to the stream',
  async (bytes, cuts) => {
    const lines = await collect(chunked(bytes, cuts), 1 << 20);
    expect(lines).toEqual(expectedLines(bytes));
    expect(Buffer.from(lines.join(''))).toEqual(bytes);
    for (const line of lines.slice(0, -1)) expect(line).toMatch(/\n$/);
  },
);

test.prop([fc.uint8Array({ maxLength: 300 }), fc.array(fc.nat(), { maxLength: 10 }), fc.integer({ min: 1, max: 64 })])(
  'a line over the limit is refused, one within it is not',
  async (bytes, cuts, maxLineBytes) => {
    // Measured in bytes, without the \n (a \r before it counts).
    const tooLong = Buffer.from(bytes)
      .toString('latin1')
      .split('\n')
      .some((line) => line.length > maxLineBytes);
    const reading = collect(chunked(bytes, cuts), maxLineBytes);
    if (tooLong) await expect(reading).rejects.toBeInstanceOf(LineTooLongError);
    else await reading;
  },
);

test.prop([fc.integer({ min: 1, max: 4096 }), fc.integer({ min: 1, max: 4096 })])(
  'an endless line is refused after at most the limit plus one chunk',
  async (maxLineBytes, chunkBytes) => {
    let sent = 0;
    const endless = new Readable({
      read() {
        sent += chunkBytes;
        this.push(Buffer.alloc(chunkBytes, 'a'));
      },
    });
    await expect(drain(endless, maxLineBytes)).rejects.toBeInstanceOf(LineTooLongError);
    expect(sent).toBeLessThanOrEqual(maxLineBytes + 2 * chunkBytes + 16 * 1024);
    endless.destroy();
  },
);

async function drain(stream: Readable, maxLineBytes: number): Promise<void> {
  for await (const _line of readLines(stream, maxLineBytes));
}
