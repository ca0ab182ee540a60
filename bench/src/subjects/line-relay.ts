/**
 * The chat baseline: every line one client sends goes to every other client as it came, with no nicknames, no
 * limits and no backpressure. It shows what the load generator can carry, so a room slower than this is the room.
 */
import net from 'node:net';

const port = Number(process.argv[process.argv.indexOf('--port') + 1] ?? 0);
const clients = new Set<net.Socket>();
const server = net.createServer({ noDelay: true }, (socket) => {
  clients.add(socket);
  // As a room's welcome does, this tells the client it is in: from now on it gets every line.
  socket.write('welcome\n');
  socket.on('data', (chunk) => {
    for (const other of clients) if (other !== socket) other.write(chunk);
  });
  socket.on('error', () => {}).on('close', () => clients.delete(socket));
});
process.on('SIGTERM', () => {
  for (const socket of clients) socket.destroy();
  server.close(() => process.exit(0));
});
server.listen(port, '127.0.0.1', () =>
  console.log(`listening on tcp://127.0.0.1:${(server.address() as net.AddressInfo).port}`),
);
