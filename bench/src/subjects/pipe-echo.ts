/** The TCP echo baseline: socket.pipe(socket) and nothing else, the ceiling for an echo server. */
import net from 'node:net';

const port = Number(process.argv[process.argv.indexOf('--port') + 1] ?? 0);
const server = net.createServer({ allowHalfOpen: true }, (socket) => {
  socket.on('error', () => {});
  socket.pipe(socket);
});
process.on('SIGTERM', () => {
  server.close();
  process.exit(0);
});
server.listen(port, '127.0.0.1', () => {
  console.log(`listening on tcp://127.0.0.1:${(server.address() as net.AddressInfo).port}`);
});
