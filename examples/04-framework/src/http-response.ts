/**
 * An HTTP/1.1 response taken apart, the way wire-client.ts reads one: the head (status line and
 * header lines, ended by an empty line), then a body framed by Content-Length, by chunked
 * Transfer-Encoding, or by the end of the connection. Bytes from the network are not trusted:
 * anything malformed throws a ResponseError whose message says what, and nothing is guessed.
 */

export class ResponseError extends Error {}

export interface Response {
  statusLine: string;
  version: string;
  status: number;
  reason: string;
  /** The header lines as they came, for printing; `headers` has them by lower-case name. */
  headLines: string[];
  headers: Map<string, string>;
  /** The body as sent (still chunked, if it was), and what it carries. */
  rawBody: Buffer;
  body: Buffer;
  /** How many chunks carried the body, when it was chunked. */
  chunks?: number;
}

/** Parses a whole response, read until the server closed the connection. */
export function parseResponse(response: Buffer): Response {
  const headEnd = response.indexOf('\r\n\r\n');
  if (headEnd === -1) throw new ResponseError('no complete response head (no empty line after the headers)');
  const [statusLine = '', ...headLines] = response.toString('latin1', 0, headEnd).split('\r\n');
  const status = /^(HTTP\/\d\.\d) ([1-5]\d\d)(?: (.*))?$/.exec(statusLine);
  if (!status) throw new ResponseError(`bad status line ${JSON.stringify(statusLine.slice(0, 80))}`);
  const headers = new Map<string, string>();
  for (const line of headLines) {
    const header = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*(.*?)[ \t]*$/.exec(line);
    if (!header) throw new ResponseError(`bad header line ${JSON.stringify(line.slice(0, 80))}`);
    const [, name = '', value = ''] = header;
    const key = name.toLowerCase();
    if (key === 'content-length' && headers.has(key)) throw new ResponseError('two Content-Length headers');
    headers.set(key, headers.has(key) ? `${headers.get(key)}, ${value}` : value);
  }
  const rawBody = response.subarray(headEnd + 4);
  const framing = {
    statusLine,
    version: status[1] ?? '',
    status: Number(status[2]),
    reason: status[3] ?? '',
    headLines,
    headers,
  };
  if (/(^|,)\s*chunked\s*$/i.test(headers.get('transfer-encoding') ?? '')) {
    return { ...framing, rawBody, ...decodeChunked(rawBody) };
  }
  const length = headers.get('content-length');
  if (length === undefined) return { ...framing, rawBody, body: rawBody };
  if (!/^\d{1,15}$/.test(length)) throw new ResponseError(`bad Content-Length ${JSON.stringify(length)}`);
  if (rawBody.length < Number(length)) {
    throw new ResponseError(`body cut short: ${rawBody.length} of ${length} bytes`);
  }
  return { ...framing, rawBody, body: rawBody.subarray(0, Number(length)) };
}

/**
 * A chunked body travels as: size in hex (maybe followed by ";extensions"), CRLF, that many
 * bytes, CRLF; ...; then a size of 0, optional trailer lines, and an empty line.
 */
export function decodeChunked(raw: Buffer): { chunks: number; body: Buffer } {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = raw.indexOf('\r\n', offset);
    if (lineEnd === -1) throw new ResponseError('chunked body cut short');
    const sizeLine = /^([0-9A-Fa-f]{1,8})(;.*)?$/.exec(raw.toString('latin1', offset, lineEnd));
    if (!sizeLine) throw new ResponseError('bad chunk size line');
    const size = Number.parseInt(sizeLine[1] ?? '', 16);
    if (size === 0) {
      // The last chunk; then optional trailer lines and the empty line that ends the message.
      if (raw.indexOf('\r\n\r\n', lineEnd) === -1) throw new ResponseError('chunked body cut short');
      return { chunks: parts.length, body: Buffer.concat(parts) };
    }
    const end = lineEnd + 2 + size;
    if (end + 2 > raw.length) throw new ResponseError('chunked body cut short');
    if (raw.toString('latin1', end, end + 2) !== '\r\n') throw new ResponseError('chunk not followed by CRLF');
    parts.push(raw.subarray(lineEnd + 2, end));
    offset = end + 2;
  }
}
