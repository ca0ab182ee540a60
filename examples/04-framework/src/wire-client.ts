/**
 * HTTP/1.1 by hand over a TCP socket, to see exactly what goes over the wire: the request line, the headers, the blank
 * line and the body; then the status line, the headers, the blank line and the body that come back. It mirrors the
 * request and response anatomy of tutorial 002 §3.2 (§3.2.1, §3.2.2), and its TCP client (002 §4.1). A chunked body is
 * shown as it travels, then decoded; http-response.ts takes the response apart and refuses a malformed one.
 *
 * Run:    node examples/04-framework/src/wire-client.ts http://127.0.0.1:5000/     (with app running)
 * Try:    node examples/04-framework/src/wire-client.ts http://127.0.0.1:8082/chunked   (with raw-server)
 * Expect: "> GET / HTTP/1.1", "> Host: 127.0.0.1:5000", ">", then "< HTTP/1.1 200 OK", "< content-type: <type>",
 *         "<", the body
 * Stop:   it exits by itself: 0 once a whole response has arrived, 1 on any error
 */
import net from 'node:net';
import * as cli from './cli.ts';
import { parseResponse, type Response, ResponseError } from './http-response.ts';

const flags = cli.parseFlags(
  {
    name: 'wire-client',
    about: `Sends one HTTP/1.1 request over a plain TCP socket and prints both sides byte for byte:
"> " marks what was sent, "< " what came back. Every line of a head ends with \\r\\n on the wire.
URL is http://host:port/path (default: http://127.0.0.1:5000/).`,
    positionals: '[URL]',
  },
  {
    method: cli.text(undefined, 'the request method (default: GET, or POST with --data)', {
      value: 'METHOD',
    }),
    header: cli.list('an extra request header; repeat for more', '"Name: value"'),
    data: cli.text(undefined, 'a request body, sent with its Content-Length', { value: 'BODY' }),
    timeout: cli.duration(5000, 'give up after MS milliseconds without progress'),
  },
);
const [given, ...extra] = flags.positionals;
const url = URL.canParse(given ?? '') ? new URL(given ?? '') : undefined;
if (extra.length > 0 || (given !== undefined && url?.protocol !== 'http:')) {
  cli.fail(`expected one http:// URL, got '${flags.positionals.join(' ')}'`);
}
const target = url ?? new URL('http://127.0.0.1:5000/');
const port = Number(target.port || 80);
const timeoutMs = flags.timeout;
const body = flags.data === undefined ? undefined : Buffer.from(flags.data);
const method = flags.method?.toUpperCase() ?? (body ? 'POST' : 'GET');
const maxResponseBytes = 10 * 1024 * 1024;

// The request, exactly as it will be sent. "Connection: close" asks the server to close after
// answering, so the end of the response is also the end of the stream.
const head = [
  `${method} ${target.pathname}${target.search} HTTP/1.1`,
  `Host: ${target.host}`,
  'User-Agent: wire-client',
  'Accept: */*',
  'Connection: close',
  ...(body ? [`Content-Length: ${body.length}`] : []),
  ...(flags.header as string[]),
];
const request = Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`), body ?? Buffer.alloc(0)]);

// Prints a message: each head line after the marker (control characters escaped), then the blank
// line, then the body as is.
function show(marker: string, headLines: string[], bodyBytes: Buffer): void {
  for (const line of headLines) console.log(`${marker} ${cli.printable(line)}`);
  console.log(marker);
  if (bodyBytes.length > 0) {
    const text = bodyBytes.toString('utf8');
    process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }
}

const socket = net.connect({ host: target.hostname, port });
socket.setTimeout(timeoutMs, () =>
  socket.destroy(new Error(`timed out after ${timeoutMs} ms waiting for ${target.host}`)),
);
socket.on('error', (error) =>
  cli.fail(error.message.startsWith('timed out') ? error.message : `${target.host}: ${cli.explain(error)}`),
);
socket.on('connect', () => {
  console.log(`(connected to ${target.host}; sending ${request.length} bytes)`);
  show('>', head, body ?? Buffer.alloc(0));
  socket.write(request);
});

// The response is read to the end of the stream, bounded, then taken apart.
const received: Buffer[] = [];
let receivedBytes = 0;
socket.on('data', (chunk: Buffer) => {
  receivedBytes += chunk.length;
  if (receivedBytes > maxResponseBytes) socket.destroy(new Error(`response over ${maxResponseBytes} bytes`));
  received.push(chunk);
});
socket.on('end', () => {
  const bytes = Buffer.concat(received);
  console.log(`(received ${bytes.length} bytes; the server closed the connection)`);
  let response: Response;
  try {
    response = parseResponse(bytes);
  } catch (error) {
    if (!(error instanceof ResponseError)) throw error;
    return cli.fail(`${target.host} sent a malformed response: ${error.message}`);
  }
  const { statusLine, headLines, rawBody, body: decoded, chunks } = response;
  show('<', [statusLine, ...headLines], rawBody);
  if (chunks !== undefined) {
    console.log(`(chunked: ${chunks} chunk(s) and a last empty one; the body they carry, ${decoded.length} bytes:)`);
    process.stdout.write(decoded.toString('utf8'));
  }
});
