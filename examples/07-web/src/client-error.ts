/**
 * The answer to a request Node's HTTP parser refused before any route saw it: malformed (400), headers too large
 * (431) or too slow (408), for every HTTP server of 04-framework and 07-web alike (written here; 07-web has a
 * byte-for-byte copy, made by `npm run sync`). Fastify's own handler writes the answer and destroys the socket at
 * once; over TLS that loses the answer about half the time here, because the client's TLS goodbye (close_notify), still unread, turns
 * the close into a TCP reset that overtakes it. So the answer is sent with a graceful end, and the socket is
 * destroyed only a second later, when the client has had time to read it.
 */
import http from 'node:http';
import type net from 'node:net';

export function answerClientError(error: NodeJS.ErrnoException, socket: net.Socket): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const reason = http.STATUS_CODES[status];
  const body = JSON.stringify({ statusCode: status, error: reason, message: 'the request could not be read' });
  const head = `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}`;
  socket.end(`${head}\r\nConnection: close\r\n\r\n${body}`);
  setTimeout(() => socket.destroy(), 1000).unref();
}
