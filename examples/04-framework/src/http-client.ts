/**
 * An HTTP client with fetch, the counterpart of Python's http.client (tutorial 002 §4.2: HTTPConnection, request,
 * getresponse, status, read). It prints the status line with the protocol used, the headers and the body, and says
 * clearly why a request failed: refused, reset, timed out, an unverifiable certificate, a bad response, or a status
 * that is not a success. The timeout is an AbortSignal, so nothing waits forever. Over HTTPS it trusts the CA given
 * with --ca (as Python's create_default_context(cafile=...)) and can ask for HTTP/2.
 *
 * Run:    node examples/04-framework/src/http-client.ts http://127.0.0.1:5000/     (with app running)
 * Try:    node examples/04-framework/src/http-client.ts --ca certs/ca.crt --http2 https://localhost:5000/     (with app on HTTPS)
 * Expect: "HTTP/1.1 200 OK" (or "HTTP/2 200"), the headers, a blank line, "Hello, world!"; exit 1 and an error line on 4xx/5xx
 * Stop:   it exits by itself: 0 on a 2xx answer, 1 otherwise
 */
import diagnostics from 'node:diagnostics_channel';
import { readFileSync } from 'node:fs';
import { Agent, fetch, Headers } from 'undici';
import * as cli from './cli.ts';
import { describeFetchError } from './fetch-errors.ts';

const flags = cli.parseFlags(
  {
    name: 'http-client',
    about: `Sends one request and prints the response: status line, headers, blank line, body.
--data sends BODY (as JSON when it parses as JSON, else as text) and defaults the method to POST.`,
    positionals: 'URL',
  },
  {
    method: cli.text(undefined, 'GET, POST, PUT, DELETE... (default: GET, or POST with --data)', {
      value: 'METHOD',
    }),
    header: cli.list('a request header; repeat for more', '"Name: value"'),
    data: cli.text(undefined, 'the request body', { value: 'BODY' }),
    ca: cli.text(undefined, 'trust the certificate authority in FILE for HTTPS (default: the system CAs)', {
      value: 'FILE',
    }),
    http2: cli.toggle('offer HTTP/2 in the TLS handshake; the server chooses'),
    timeout: cli.duration(10_000, 'give up after MS milliseconds'),
    maxBytes: cli.integer(10 * 1024 * 1024, 'refuse a response body larger than N bytes'),
  },
);
const [target, ...extra] = flags.positionals;
if (target === undefined || extra.length > 0) cli.fail(`expected exactly one URL, got ${flags.positionals.length}`);
const { timeout: timeoutMs, maxBytes, data } = flags;
let url: URL;
try {
  url = new URL(target);
} catch {
  cli.fail(`not a URL: '${target}'`);
}

const headers = new Headers();
for (const header of flags.header) {
  const colon = header.indexOf(':');
  if (colon < 1) cli.fail(`a header is "Name: value", got '${header}'`);
  headers.append(header.slice(0, colon).trim(), header.slice(colon + 1).trim());
}
if (data !== undefined && !headers.has('content-type')) {
  const isJson = (() => {
    try {
      JSON.parse(data);
      return true;
    } catch {
      return false;
    }
  })();
  headers.set('content-type', isJson ? 'application/json' : 'text/plain; charset=utf-8');
}
const method = flags.method?.toUpperCase() ?? (data === undefined ? 'GET' : 'POST');

// Node's global fetch is undici; undici's own fetch takes an Agent, which is where a CA, the oldest TLS version
// accepted (1.2, as the servers here) and HTTP/2 are set. The protocol is agreed in the TLS handshake (ALPN), and undici reports each
// connection it makes on a diagnostics channel: that is where the version is read.
let ca: Buffer | undefined;
try {
  ca = flags.ca === undefined ? undefined : readFileSync(flags.ca);
} catch (error) {
  cli.fail(`cannot read ${flags.ca}: ${(error as NodeJS.ErrnoException).code}`);
}
const dispatcher = new Agent({ connect: { ca, minVersion: 'TLSv1.2' }, allowH2: flags.http2 });
let version = 'HTTP/1.1';
diagnostics.subscribe('undici:client:connected', (message) => {
  if ((message as { socket: { alpnProtocol?: string | false } }).socket.alpnProtocol === 'h2') version = 'HTTP/2';
});

// One deadline for the whole exchange, body included.
const signal = AbortSignal.timeout(timeoutMs);
try {
  const response = await fetch(url, { method, headers, body: data, signal, redirect: 'manual', dispatcher });
  // HTTP/2 has no reason phrase: "HTTP/2 404", as curl shows it.
  const status = `${response.status} ${response.statusText}`.trimEnd();
  console.log(`${version} ${status}`);
  for (const [name, value] of response.headers) console.log(`${name}: ${value}`);
  console.log('');
  // Read the body in chunks, with a cap, rather than trusting the server to send a sane amount.
  let received = 0;
  let last = 10;
  for await (const chunk of response.body ?? []) {
    received += chunk.length;
    if (received > maxBytes) cli.fail(`response body over ${maxBytes} bytes; stopped reading`);
    process.stdout.write(chunk);
    last = chunk.at(-1) ?? last;
  }
  if (last !== 10) process.stdout.write('\n'); // end the output with a newline, as a terminal expects

  if (!response.ok) cli.fail(`${url.host} answered ${status}`);
} catch (error) {
  cli.fail(describeFetchError(error as Error, { host: url.host, timeoutMs, withCa: flags.ca !== undefined }));
}
