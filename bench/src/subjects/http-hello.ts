/** The HTTP baseline: bare node:http answering "Hello, world!", nothing else. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const port = Number(process.argv[process.argv.indexOf('--port') + 1] ?? 0);
const server = http.createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': 13 }).end('Hello, world!');
});
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  process.exit(0);
});
server.listen(port, '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
