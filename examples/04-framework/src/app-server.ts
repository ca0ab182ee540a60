/**
 * The server under app.ts's Fastify: plain HTTP, HTTPS given a key and certificate, or HTTP/2 with HTTP/1.1 fallback.
 * It is made here, not by Fastify, so its timeouts are ours: Fastify's defaults leave requestTimeout off, and Node
 * checks for expired requests only every 30 s unless told otherwise. HTTP/2 runs over TLS with ALPN: in the handshake
 * each client says "h2" or "http/1.1", and allowHTTP1 serves both.
 */
import http from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';
import * as cli from './cli.ts';
import type { RequestTracker } from './drain.ts';
import { intermediateTls } from './tls-profile.ts';

export interface ServerFlags {
  key: string | undefined;
  cert: string | undefined;
  http2: boolean;
  headersTimeout: number;
  requestTimeout: number;
}

/**
 * The server the flags ask for, checked (a key needs its certificate; HTTP/2 needs both) and its files read;
 * `requests` sees each request before Fastify does (drain.ts).
 */
export function chooseServer(
  flags: ServerFlags,
  requests: RequestTracker,
): { scheme: 'http' | 'https'; serverFactory: Factory } {
  if ((flags.key === undefined) !== (flags.cert === undefined)) cli.fail('--key and --cert go together');
  if (flags.http2 && flags.key === undefined)
    cli.fail('--http2 needs --key and --cert: browsers speak HTTP/2 only over TLS');
  const read = (file: string) => cli.readFlagFile(file, '; make it with make-certs.ts');
  const tls = flags.key && flags.cert ? { key: read(flags.key), cert: read(flags.cert) } : null;
  return { scheme: tls ? 'https' : 'http', serverFactory: serverFactory({ ...flags, tls }, requests) };
}

type Factory = (handler: http.RequestListener) => http.Server;

/** A serverFactory for Fastify: that kind of server, with the timeouts set. */
function serverFactory(
  choice: ServerFlags & { tls: { key: Buffer; cert: Buffer } | null },
  requests: RequestTracker,
): Factory {
  const timeouts = {
    headersTimeout: choice.headersTimeout,
    requestTimeout: Math.max(choice.requestTimeout, choice.headersTimeout),
    connectionsCheckingInterval: 250,
    keepAliveTimeout: 5000,
  };
  return (handler) => {
    let server: http.Server | https.Server | http2.Http2SecureServer;
    // Mozilla's intermediate profile (tls-profile.ts): TLS 1.2 and 1.3, forward-secret AEAD suites, no renegotiation.
    const tls = choice.tls && { ...choice.tls, ...intermediateTls };
    if (!tls) server = http.createServer();
    else if (!choice.http2) server = https.createServer(tls);
    else server = http2.createSecureServer({ ...tls, allowHTTP1: true, settings: { maxConcurrentStreams: 100 } });
    requests.serve(server as http.Server, handler);
    // An HTTP/2 session is one connection carrying many streams (requests); one silent too long is closed.
    server.on('session', (session: http2.ServerHttp2Session) => {
      session.setTimeout(timeouts.requestTimeout, () => session.close());
    });
    // Fastify's types know one kind of server per app; the routes use nothing that differs.
    return Object.assign(server, timeouts) as http.Server; // (on HTTP/2, for its HTTP/1.1 clients)
  };
}
