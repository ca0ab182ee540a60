/**
 * One thread of the load generator (see load.ts). It opens its share of connections (TCP) or
 * sockets (UDP) and keeps each busy with request → echo → next request until the deadline,
 * timing every round trip. Plain JavaScript: worker threads load it directly (see 02-threads).
 */
import dgram from 'node:dgram';
import net from 'node:net';
import tls from 'node:tls';
import { parentPort, workerData } from 'node:worker_threads';

/** @type {{ kind: 'tcp' | 'tls' | 'udp', port: number, connections: number, size: number, durationMs: number, ca?: string }} */
const { kind, port, connections, size, durationMs, ca } = workerData;
const deadline = performance.now() + durationMs;
const maxSamples = 50_000;
const samples = new Float64Array(maxSamples);
let recorded = 0;
let completed = 0;
let errors = 0;

// Keeps a uniform sample of latencies without unbounded memory (reservoir sampling).
function record(/** @type {number} */ latency) {
  completed++;
  if (recorded < maxSamples) samples[recorded++] = latency;
  else {
    const slot = Math.floor(Math.random() * completed);
    if (slot < maxSamples) samples[slot] = latency;
  }
}

// One message ends with "\n" so line servers (async-echo-server) answer it too.
const message = Buffer.alloc(size, 'x');
message[size - 1] = 10;

function tcpConnection() {
  return new Promise((resolve) => {
    // TLS: the same echo once the handshake (verified against the CA) is done.
    const socket =
      kind === 'tls'
        ? tls.connect({ port, host: '127.0.0.1', ca, servername: 'localhost' })
        : net.connect(port, '127.0.0.1');
    socket.setNoDelay(true);
    let received = 0;
    let sentAt = 0;
    // Every connection makes at least one round trip, however late its handshake ends on a loaded machine.
    const send = () => {
      if (sentAt > 0 && performance.now() >= deadline) return void socket.end();
      received = 0;
      sentAt = performance.now();
      socket.write(message);
    };
    socket.on(kind === 'tls' ? 'secureConnect' : 'connect', send);
    socket.on('data', (chunk) => {
      received += chunk.length;
      if (received >= size) {
        record(performance.now() - sentAt);
        send();
      }
    });
    socket.on('error', () => errors++);
    socket.on('close', resolve);
  });
}

// UDP: each socket keeps one datagram in flight; one lost on a full buffer is counted and replaced.
function udpSocket() {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    let sentAt = 0;
    /** @type {NodeJS.Timeout | undefined} */
    let timer;
    const send = () => {
      clearTimeout(timer);
      if (sentAt > 0 && performance.now() >= deadline) return void socket.close(() => resolve(undefined));
      sentAt = performance.now();
      socket.send(message, port, '127.0.0.1');
      timer = setTimeout(() => {
        errors++;
        send();
      }, 200);
    };
    socket.on('message', () => {
      record(performance.now() - sentAt);
      send();
    });
    socket.on('error', () => errors++);
    socket.bind(0, '127.0.0.1', send);
  });
}

await Promise.all(Array.from({ length: connections }, kind === 'udp' ? udpSocket : tcpConnection));
parentPort?.postMessage({ completed, errors, samples: samples.subarray(0, recorded) });
