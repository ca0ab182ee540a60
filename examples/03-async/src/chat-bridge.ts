/**
 * chat-web's bridge (003 §5): one browser user is a WebSocket to the page and a TCP connection to chat-server, and
 * the lines between them. It adds the web's rules to the room's: one line of text per message, a message rate cap,
 * ping/pong to find pages that vanished, and backpressure carried across both sockets, so a slow page slows its
 * reading from the room (where the room's own slow-reader rule applies) and one that stays behind is closed.
 */
import net from 'node:net';
import type { WebSocket } from 'ws';
import { readLines } from './read-lines.ts';

export interface BridgeOptions {
  roomHost: string;
  roomPort: number;
  maxMessageRate: number;
  maxBufferedBytes: number;
  slowReaderTimeout: number;
  pingInterval: number;
  /** Whether the server is shutting down, for the close code the page gets (1001 then, else 1000). */
  stopping: () => boolean;
}

export function bridge(user: WebSocket, options: BridgeOptions): void {
  const { roomHost, roomPort, maxMessageRate, maxBufferedBytes, stopping } = options;
  const room = net.connect({ host: roomHost, port: roomPort });
  room.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'ECONNREFUSED')
      user.send(`error: the room is not open (is chat-server running on ${roomPort}?)`);
    user.close(1011, 'the room connection failed');
  });
  user.on('close', () => room.end());
  // A broken frame, or one over --max-message-bytes: ws closes the user (1002, 1009) and reports it here.
  user.on('error', (error) => console.error(`closed a page: ${error.message}`));

  // Browser → room: one message is one line. Too long, several lines, or too fast: closed, with the reason.
  let tokens = 2 * maxMessageRate;
  const refill = setInterval(() => {
    tokens = Math.min(2 * maxMessageRate, tokens + maxMessageRate);
  }, 1000);
  user.on('close', () => clearInterval(refill));
  user.on('message', (data, isBinary) => {
    const text = data.toString();
    if (!room.writable) return; // the room has gone; the close is on its way
    if (isBinary || text.includes('\n')) return user.close(1003, 'one line of text per message');
    if (--tokens < 0) return user.close(1008, `more than ${maxMessageRate} messages a second`);
    // If the room reads slower than this user types, stop reading the user until it catches up.
    if (!room.write(`${text}\n`)) {
      user.pause();
      room.once('drain', () => user.resume());
    }
  });

  // Room → browser: each line one message. A page that falls behind stops the reading from the room,
  // so the room's own slow-reader rule applies to it; one that stays behind is closed.
  void (async () => {
    for await (const line of readLines(room, 64 * 1024)) {
      if (user.readyState !== user.OPEN) break;
      user.send(line.replace(/\r?\n$/, ''));
      if (user.bufferedAmount > maxBufferedBytes) await caughtUp(user, maxBufferedBytes, options.slowReaderTimeout);
    }
  })()
    .catch(() => room.destroy())
    // The room's last line (a "bye", an error) has gone out: now close, saying why.
    .finally(() => user.close(stopping() ? 1001 : 1000, stopping() ? 'server shutting down' : 'the room closed'));

  // A page that vanished without closing (a laptop lid, a lost network) is found by a missed pong.
  let alive = true;
  user.on('pong', () => {
    alive = true;
  });
  const pinger = setInterval(() => {
    if (!alive) return user.terminate();
    alive = false;
    user.ping();
  }, options.pingInterval);
  user.on('close', () => clearInterval(pinger));
}

/**
 * Resolves once the page has taken in what was sent, or closes it after --slow-reader-timeout.
 * A WebSocket has no 'drain' event, so bufferedAmount is looked at every 50 ms while it is behind.
 */
function caughtUp(user: WebSocket, maxBufferedBytes: number, slowReaderTimeout: number): Promise<void> {
  return new Promise((resolve) => {
    const started = Date.now();
    const check = setInterval(() => {
      const behind = user.bufferedAmount > maxBufferedBytes && user.readyState === user.OPEN;
      if (behind && Date.now() - started > slowReaderTimeout) user.terminate();
      if (behind && user.readyState === user.OPEN) return;
      clearInterval(check);
      resolve();
    }, 50);
  });
}
