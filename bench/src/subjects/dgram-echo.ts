/** The UDP echo baseline: send every datagram back, nothing else. */
import dgram from 'node:dgram';

const port = Number(process.argv[process.argv.indexOf('--port') + 1] ?? 0);
const socket = dgram.createSocket('udp4');
socket.on('message', (datagram, sender) => socket.send(datagram, sender.port, sender.address));
process.on('SIGTERM', () => socket.close(() => process.exit(0)));
socket.bind(port, '127.0.0.1', () => console.log(`listening on udp://127.0.0.1:${socket.address().port}`));
