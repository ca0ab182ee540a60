/**
 * What app.ts needs to drain: the requests in flight, the connections and the HTTP/2 sessions of its server. While
 * draining, each HTTP/1.1 response says "connection: close", so its keep-alive client does not keep the connection
 * (and the shutdown) waiting; HTTP/2 says it once per connection, with GOAWAY. A deadline bounds the wait.
 */
import http from 'node:http';
import type http2 from 'node:http2';
import type net from 'node:net';

type Response = http.ServerResponse | http2.Http2ServerResponse;

export function trackRequests() {
  let server: http.Server | undefined;
  let draining = false;
  // A set rather than a count: the drain has to reach the responses in flight to mark them.
  const inFlight = new Set<Response>();
  const connections = new Set<net.Socket>();
  const sessions = new Set<http2.ServerHttp2Session>();
  const sayClose = (response: Response) => {
    if (response instanceof http.ServerResponse && !response.headersSent) response.setHeader('connection', 'close');
  };
  // One function for every response, called with the response as `this`: nothing is allocated per request.
  function finished(this: Response) {
    inFlight.delete(this);
  }
  return {
    /**
     * Makes `handler` the server's one 'request' listener, with the bookkeeping before it. (A second
     * listener would cost every request: Node copies the list of listeners when there are several.)
     */
    serve(httpServer: http.Server, handler: http.RequestListener): void {
      server = httpServer;
      server.on('connection', (socket: net.Socket) => {
        connections.add(socket);
        socket.on('close', () => connections.delete(socket));
      });
      server.on('session', (session: http2.ServerHttp2Session) => {
        sessions.add(session);
        session.on('close', () => sessions.delete(session));
      });
      server.on('request', (request, response) => {
        inFlight.add(response);
        response.on('close', finished);
        if (draining) sayClose(response);
        handler(request, response);
      });
    },
    inFlight: () => inFlight.size,
    /**
     * Stops accepting and asks every client to close once its requests are answered; past the
     * deadline, says so and cuts every connection left.
     */
    drain(deadlineMs: number): void {
      draining = true;
      for (const response of inFlight) sayClose(response);
      server?.close(); // (since Node 19 this also closes the idle keep-alive connections)
      for (const session of sessions) session.close();
      setTimeout(() => {
        console.error(`error: requests still running after ${deadlineMs} ms; closing them`);
        for (const socket of connections) socket.destroy();
      }, deadlineMs).unref();
    },
  };
}

export type RequestTracker = ReturnType<typeof trackRequests>;
