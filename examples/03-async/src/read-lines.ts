/**
 * Lines from a byte stream, the counterpart of asyncio's `await reader.readline()`: each line is
 * yielded with its ending ("\n" or "\r\n"), and a last line without one at the end of the stream.
 * Bytes are split at "\n" before decoding, so a UTF-8 character cut in two by TCP arrives whole.
 * A line longer than `maxLineBytes` throws LineTooLongError (asyncio's LimitOverrunError) instead
 * of growing a buffer without end. The stream is not destroyed when the caller stops early, so
 * it can still be told why.
 */
import type { Readable } from 'node:stream';

export class LineTooLongError extends Error {
  readonly maxLineBytes: number;
  constructor(maxLineBytes: number) {
    super(`line longer than ${maxLineBytes} bytes`);
    this.maxLineBytes = maxLineBytes;
  }
}

export async function* readLines(stream: Readable, maxLineBytes: number): AsyncGenerator<string> {
  let pending: Buffer = Buffer.alloc(0);
  // Awaiting the next chunk only when the consumer asks for the next line is the backpressure:
  // while a line is being handled, the stream is not read and TCP makes the sender wait.
  for await (const chunk of stream.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    let start = 0;
    for (let newline = pending.indexOf(10); newline !== -1; newline = pending.indexOf(10, start)) {
      if (newline - start > maxLineBytes) throw new LineTooLongError(maxLineBytes);
      yield pending.toString('utf8', start, newline + 1);
      start = newline + 1;
    }
    pending = pending.subarray(start);
    if (pending.length > maxLineBytes) throw new LineTooLongError(maxLineBytes);
  }
  if (pending.length > 0) yield pending.toString('utf8');
}
