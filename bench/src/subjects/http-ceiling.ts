/**
 * The load generator's ceiling: a TCP server that answers each request head it sees with the same
 * canned bytes, parsing nothing. No HTTP server can be faster, so the rate the generator reaches
 * here is the most it can measure; a table is only worth reading when this row is well above the
 * fastest server in it.
 */
import net from 'node:net';

const port = Number(process.argv[process.argv.indexOf('--port') + 1] ?? 0);
const answer = Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 13\r\nContent-Type: text/plain\r\n\r\nHello, world!');
const server = net.createServer((socket) => {
  socket.on('error', () => {});
  let tail = '';
  socket.on('data', (chunk: Buffer) => {
    const text = tail + chunk.toString('latin1');
    const heads = text.split('\r\n\r\n');
    tail = heads.pop() ?? '';
    for (let i = 0; i < heads.length; i++) socket.write(answer);
  });
});
process.on('SIGTERM', () => process.exit(0));
server.listen(port, '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${(server.address() as net.AddressInfo).port}`);
});
