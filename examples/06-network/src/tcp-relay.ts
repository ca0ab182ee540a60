/**
 * A slow or broken network for TCP, on any machine, root or not: a relay between clients and a
 * server that adds latency and jitter, limits bandwidth, slices the stream into small pieces sent
 * apart (which breaks any reader that takes one recv() for one message, the tutorials' recv(1024)),
 * stalls, resets or closes slowly. It is the TCP sibling of 05-udp's lossy-relay, with the words
 * of Shopify's toxiproxy, and shows why tutorial 003 §8.1 says a connection can fail at any point.
 *
 * Run:    node examples/06-network/src/tcp-relay.ts --latency 200 --slice 3 --slice-delay 20
 * Try:    node examples/01-socket/src/echo-client.ts --port 8070 "sliced and slow"   (echo-server on 8080)
 * Expect: the echo arrives whole, later; the relay logs one line per connection:
 *         "127.0.0.1:<port>: <n> bytes up, <n> down, closed"
 * Stop:   Ctrl+C prints "SIGINT: stopping, <n> connection(s) open", lets them finish for --shutdown-timeout ms,
 *         then "stopped"
 */
import net from 'node:net';
import * as cli from './cli.ts';
import { type Passage, relayDirection } from './toxics.ts';

const flags = cli.parseFlags(
  { name: 'tcp-relay', about: 'Relays TCP connections to the target, slowing or breaking them on purpose.' },
  {
    ...cli.listenOn(8070),
    targetHost: cli.text('127.0.0.1', 'where to relay to', { value: 'HOST' }),
    targetPort: cli.integer(8080, 'where to relay to (echo-server)', { value: 'PORT', min: 1, max: 65535 }),
    latency: cli.duration(0, 'delay every piece by MS, each way', 0),
    jitter: cli.duration(0, 'spread the delay by up to ±MS (order is kept)', 0),
    bandwidth: cli.integer(0, 'at most N bytes a second each way, 0 for no limit'),
    slice: cli.integer(0, 'cut the stream into pieces of at most N bytes, 0 for whole chunks'),
    sliceDelay: cli.duration(0, 'time between two pieces', 0),
    stallAfter: cli.integer(0, 'after N bytes pass, pass nothing more (0: never)'),
    stallTimeout: cli.duration(10_000, 'close a stalled connection after MS'),
    resetAfter: cli.integer(0, 'after N bytes pass, reset both sides (RST; 0: never)'),
    slowClose: cli.duration(0, 'hold the end of each stream (FIN) back for MS', 0),
    seed: cli.integer(undefined, 'seed for the jitter, for a repeatable run (default: random)', { max: 2 ** 32 - 1 }),
    maxConnections: cli.integer(100, 'refuse connections beyond N open at once', { min: 1 }),
    idleTimeout: cli.duration(60_000, 'close a connection silent both ways for MS'),
    shutdownTimeout: cli.duration(3000, 'on SIGINT/SIGTERM, let connections finish for at most MS'),
  },
);
const { host, port, targetHost, targetPort, stallTimeout, idleTimeout, shutdownTimeout } = flags;
// A small seeded generator (mulberry32): the same seed gives the same jitter.
let state = flags.seed ?? Date.now() % 2 ** 32;
const random = () => {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
  return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
};

const connections = new Set<net.Socket>();
// allowHalfOpen: a client's FIN is passed on as a FIN, and the server may still answer after it.
const server = net.createServer({ allowHalfOpen: true }, (client) => {
  const peer = `${client.remoteAddress}:${client.remotePort}`;
  const upstream = net.connect({ host: targetHost, port: targetPort, allowHalfOpen: true });
  connections.add(client);
  let ending = 'closed';
  const passage: Passage = {
    bytes: 0,
    stalled: false,
    // A stall lasts --stall-timeout, then the connection is cut: the client sees a close it cannot
    // tell from a dead server, unless its own timeout fired first.
    onStall() {
      ending = `stalled after ${passage.bytes} bytes, closed after ${stallTimeout} ms`;
      setTimeout(() => {
        client.destroy();
        upstream.destroy();
      }, stallTimeout).unref();
    },
    onReset() {
      ending = `reset after ${passage.bytes} bytes`;
      client.resetAndDestroy();
      upstream.resetAndDestroy();
    },
  };
  relayDirection(client, upstream, flags, random, passage);
  relayDirection(upstream, client, flags, random, passage);
  client.setTimeout(idleTimeout, () => {
    ending = `idle for ${idleTimeout} ms`;
    client.destroy();
  });
  for (const [socket, side] of [
    [client, 'client'],
    [upstream, 'server'],
  ] as const) {
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (!ending.startsWith('reset')) ending = `${side} ${targetHost}:${targetPort}: ${cli.explain(error)}`;
      (socket === client ? upstream : client).destroy();
    });
  }
  client.on('close', () => {
    upstream.destroy();
    connections.delete(client);
    console.log(`${peer}: ${client.bytesRead} bytes up, ${client.bytesWritten} down, ${ending}`);
  });
});
server.maxConnections = flags.maxConnections;

function shutdown(signal: NodeJS.Signals): void {
  if (cli.alreadyStopping(signal)) return;
  console.log(`${signal}: stopping, ${connections.size} connection(s) open`);
  server.close();
  process.on('exit', (code) => code === 0 && console.log('stopped'));
  setTimeout(() => {
    for (const socket of connections) socket.destroy();
  }, shutdownTimeout).unref();
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

server.on('error', (error) => cli.cannotListen(error, host, port));
server.listen({ host, port }, () => cli.printListening('tcp', server.address()));
