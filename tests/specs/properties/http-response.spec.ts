/** Properties of 04-framework's response parser (wire-client): what a server frames, it takes apart; garbage is refused, never guessed. */
import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { decodeChunked, parseResponse, ResponseError } from '../../../examples/04-framework/src/http-response.ts';

const token = fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,15}$/);
const value = fc.stringMatching(/^[!-~]([ !-~]{0,30}[!-~])?$/);
const headers = fc
  .uniqueArray(fc.tuple(token, value), {
    selector: ([name]) => name.toLowerCase(),
    maxLength: 6,
  })
  .map((pairs) => pairs.filter(([name]) => !/^(content-length|transfer-encoding)$/i.test(name)));
const body = fc.uint8Array({ maxLength: 3000 }).map((bytes) => Buffer.from(bytes));
const status = fc.integer({ min: 100, max: 599 });

function head(code: number, pairs: Array<[string, string]>, framing: string[]): Buffer {
  const lines = [`HTTP/1.1 ${code} Reason Here`, ...pairs.map(([name, text]) => `${name}: ${text}`), ...framing];
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
}

/** Frames `bytes` as chunks cut at the given offsets, as a server streaming it would. */
function chunked(bytes: Buffer, cuts: number[]): { framed: Buffer; count: number } {
  const at = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const pieces = [0, ...at].map((start, i) => bytes.subarray(start, at[i] ?? bytes.length)).filter((p) => p.length);
  const framed = pieces.map((piece) =>
    Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')]),
  );
  return { framed: Buffer.concat([...framed, Buffer.from('0\r\n\r\n')]), count: pieces.length };
}

test.prop([status, headers, body])(
  'a Content-Length response round-trips: status, headers and body',
  (code, pairs, bytes) => {
    const response = parseResponse(Buffer.concat([head(code, pairs, [`Content-Length: ${bytes.length}`]), bytes]));
    expect(response.status).toBe(code);
    expect(response.reason).toBe('Reason Here');
    for (const [name, text] of pairs) expect(response.headers.get(name.toLowerCase())).toBe(text);
    expect(response.body).toEqual(bytes);
  },
);

test.prop([status, headers, body, fc.array(fc.nat(), { maxLength: 8 })])(
  'a chunked response gives back the body whatever the chunk sizes, and counts the chunks',
  (code, pairs, bytes, cuts) => {
    const { framed, count } = chunked(bytes, cuts);
    const response = parseResponse(Buffer.concat([head(code, pairs, ['Transfer-Encoding: chunked']), framed]));
    expect(response.body).toEqual(bytes);
    expect(response.rawBody).toEqual(framed);
    expect(response.chunks).toBe(count);
  },
);

test.prop([body, fc.array(fc.nat(), { maxLength: 8 }), fc.nat()])(
  'a chunked body cut short anywhere is refused, not truncated',
  (bytes, cuts, cut) => {
    const { framed } = chunked(bytes, cuts);
    const short = framed.subarray(0, cut % framed.length);
    expect(() => decodeChunked(short)).toThrow(ResponseError);
  },
);

test.prop([status, body, fc.integer({ min: 1, max: 100 })])(
  'a body shorter than its Content-Length is refused',
  (code, bytes, missing) => {
    const response = Buffer.concat([head(code, [], [`Content-Length: ${bytes.length + missing}`]), bytes]);
    expect(() => parseResponse(response)).toThrow(/cut short/);
  },
);

test.prop([fc.uint8Array({ maxLength: 500 })])(
  'arbitrary bytes are parsed or refused with a ResponseError, nothing else',
  (bytes) => {
    try {
      parseResponse(Buffer.from(bytes));
    } catch (error) {
      expect(error).toBeInstanceOf(ResponseError);
    }
  },
);

test.prop([fc.constantFrom('-1', '1g', '+5', ' 5', '', '123456789', '0x5', 'zz')])(
  'a bad chunk size line is refused',
  (size) => {
    expect(() => decodeChunked(Buffer.from(`${size}\r\nhello\r\n0\r\n\r\n`))).toThrow(ResponseError);
  },
);
