/**
 * The generator's ceiling for the board's rows: bare node:https answering a fixed page of the board's size, with
 * the same certificate, so what the board costs on top of TLS and HTTP shows against it.
 * Usage: node https-hello.ts --port 0 --cert FILE --key FILE
 */
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { port: { type: 'string' }, cert: { type: 'string' }, key: { type: 'string' } },
});
const page = Buffer.from(`<!doctype html><p>${'x'.repeat(6000)}</p>`);
const server = https.createServer(
  { cert: readFileSync(values.cert ?? ''), key: readFileSync(values.key ?? '') },
  (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': page.length });
    response.end(page);
  },
);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
process.on('SIGINT', () => server.close(() => process.exit(0)));
server.listen(Number(values.port ?? 0), '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  console.log(`listening on https://127.0.0.1:${port}`);
});
