/**
 * The server under app.ts's Fastify: plain HTTP, HTTPS given a key and certificate, or HTTP/2 with HTTP/1.1 fallback.
 * It is made here, not by Fastify, so its timeouts are ours: Fastify's defaults leave requestTimeout off, and Node
 * checks for expired requests only every 30 s unless told otherwise. HTTP/2 runs over TLS with ALPN: in the handshake
 * each client says "h2" or "http/1.1", and allowHTTP1 serves both.
 */
import http from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';

export interface ServerChoice {
  tls: { key: Buffer; cert: Buffer } | null;
  http2: boolean;
  headersTimeout: number;
  requestTimeout: number;
}

/** A serverFactory for Fastify: the kind of server the flags ask for, with the timeouts set. */
export function serverFactory(choice: ServerChoice): (handler: http.RequestListener) => http.Server {
  const timeouts = {
    headersTimeout: choice.headersTimeout,
    requestTimeout: Math.max(choice.requestTimeout, choice.headersTimeout),
    connectionsCheckingInterval: 250,
    keepAliveTimeout: 5000,
  };
  return (handler) => {
    let server: http.Server | https.Server | http2.Http2SecureServer;
    const tls = choice.tls && { ...choice.tls, minVersion: 'TLSv1.2' as const };
    if (!tls) server = http.createServer();
    else if (!choice.http2) server = https.createServer(tls);
    else server = http2.createSecureServer({ ...tls, allowHTTP1: true, settings: { maxConcurrentStreams: 100 } });
    server.on('request', handler);
    // An HTTP/2 session is one connection carrying many streams (requests); one silent too long is closed.
    server.on('session', (session: http2.ServerHttp2Session) => {
      session.setTimeout(timeouts.requestTimeout, () => session.close());
    });
    // Fastify's types know one kind of server per app; the routes use nothing that differs.
    return Object.assign(server, timeouts) as http.Server; // (on HTTP/2, for its HTTP/1.1 clients)
  };
}
