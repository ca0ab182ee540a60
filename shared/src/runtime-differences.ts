/**
 * What the examples do differently on Bun and Deno, written once: `npm run sync` turns it into the
 * runtime table of each area README and of the front page (generated.ts), and the specs named here
 * assert each runtime's own behaviour (`expectOn` in tests/support/runtimes.ts), so a fix upstream
 * fails a spec until the entry goes. A runtime not named in an entry behaves as Node does.
 * CI runs those specs, each area's contract and each area's tour transcript with the examples started
 * by Bun and by Deno; a transcript may differ from the README only by the lines an entry lists.
 */
import type { Runtime } from './program.ts';

export interface RuntimeDifference {
  id: string;
  /** The programs that show it (a row each in its area's table). */
  programs: string[];
  /** One line per runtime: what happens. Node's line is the behaviour the lesson teaches. */
  on: { node: string } & Partial<Record<Exclude<Runtime, 'node'>, string>>;
  /** The spec that pins it on every runtime, from the repository root. */
  spec: string;
  /** Where the tour shows it: lines of an area's README transcript a runtime does not print, and what it adds. */
  transcripts?: Array<{ area: string } & Partial<Record<Exclude<Runtime, 'node'>, TranscriptLines>>>;
}

export interface TranscriptLines {
  missing: string[];
  added: string[];
  /** The runtime loses a race here only now and then, so these lines show in some runs and not in others. */
  sometimes?: boolean;
}

export const runtimeVersions = { bun: '1.4.5', deno: '2.9.6' } as const;

export const runtimeDifferences: RuntimeDifference[] = [
  {
    id: 'tls13-cipher',
    programs: ['tls-echo-server', 'tls-echo-client'],
    on: {
      node: 'TLS 1.3 settles on TLS_AES_256_GCM_SHA384 (OpenSSL prefers it)',
      bun: 'TLS 1.3 settles on TLS_AES_128_GCM_SHA256 (BoringSSL prefers it); both are AEAD suites',
    },
    spec: 'tests/specs/01-socket/transcript.spec.ts',
    transcripts: [
      {
        area: '01-socket',
        bun: {
          missing: [
            'tls-echo-client tls: TLSv1.3, TLS_AES_256_GCM_SHA384, 127.0.0.1 verified by certs/ca.crt',
            'tls-echo-server connected 127.0.0.1:<port> (TLSv1.3, TLS_AES_256_GCM_SHA384)',
          ],
          added: [
            'tls-echo-client tls: TLSv1.3, TLS_AES_128_GCM_SHA256, 127.0.0.1 verified by certs/ca.crt',
            'tls-echo-server connected 127.0.0.1:<port> (TLSv1.3, TLS_AES_128_GCM_SHA256)',
          ],
        },
      },
    ],
  },
  {
    id: 'half-close',
    programs: ['hello-server', 'echo-client', 'raw-server', 'app'],
    on: {
      node: 'a client that half-closes at once still gets the whole answer (net.Socket allowHalfOpen)',
      deno: 'a half-close can end the whole connection: an HTTP server logs "aborted" and answers nothing; hello-server sometimes gets EPIPE',
    },
    spec: 'tests/specs/runtimes/04-framework.spec.ts',
    transcripts: [
      {
        area: '01-socket',
        deno: {
          missing: ['echo-client     Hello, world!'],
          added: ['hello-server    error 127.0.0.1:<port>: EPIPE'],
          sometimes: true,
        },
      },
    ],
  },
  {
    id: 'drain-liveness',
    programs: ['echo-server'],
    on: {
      node: 'on SIGTERM, a connection we have ended keeps the process alive until the peer closes or --shutdown-timeout',
      deno: 'on SIGTERM the process exits as soon as it has ended its side, while the peer is still connected',
    },
    spec: 'tests/specs/runtimes/01-socket.spec.ts',
  },
  {
    id: 'expired-certificate',
    programs: ['tls-echo-client'],
    on: {
      node: 'an expired server certificate is refused as CERT_HAS_EXPIRED',
      deno: 'an expired server certificate is refused as UNABLE_TO_VERIFY_LEAF_SIGNATURE (not signed by the CA)',
    },
    spec: 'tests/specs/runtimes/01-socket.spec.ts',
  },
  {
    id: 'tls-name-check',
    programs: ['tls-echo-client'],
    on: {
      node: 'a client that finds the wrong name on the certificate aborts the handshake: the server logs no connection',
      deno: 'the handshake completes before the client checks the name, so the server logs a connection that closes',
    },
    spec: 'tests/specs/01-socket/transcript.spec.ts',
    transcripts: [
      {
        area: '01-socket',
        deno: {
          missing: [],
          added: [
            'tls-echo-server connected 127.0.0.1:<port> (TLSv1.3, TLS_AES_256_GCM_SHA384)',
            'tls-echo-server closed 127.0.0.1:<port>',
          ],
        },
      },
    ],
  },
  {
    id: 'tls-peer-address',
    programs: ['tls-echo-server'],
    on: {
      node: "a client refused in the handshake is logged with its address; one that hung up, as 'a client already gone'",
      bun: 'both are logged with the address: a closed socket keeps its remoteAddress',
      deno: "a client refused in the handshake is logged as 'a client already gone' too",
    },
    spec: 'tests/specs/runtimes/01-socket.spec.ts',
  },
  {
    id: 'client-certificate-alert',
    programs: ['tls-echo-client'],
    on: {
      node: 'a server that wants a client certificate refuses with ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED',
      bun: "the same alert is BoringSSL's ERR_SSL_TLSV1_ALERT_CERTIFICATE_REQUIRED, which the client explains alike",
    },
    spec: 'tests/specs/runtimes/01-socket.spec.ts',
  },
  {
    id: 'old-tls-alert',
    programs: ['tls-echo-server'],
    on: {
      node: 'a client offering only TLS 1.1 or older gets the protocol_version alert',
      deno: 'a client offering only TLS 1.1 or older gets a handshake_failure alert',
    },
    spec: 'tests/specs/runtimes/01-socket.spec.ts',
  },
  {
    id: 'max-connections',
    programs: ['echo-server'],
    on: {
      node: 'server.maxConnections refuses a connection beyond --max-connections, and the server logs it',
      deno: "a connection beyond the limit is closed too, but without the 'drop' event, so nothing is logged",
    },
    spec: 'tests/specs/runtimes/01-socket.spec.ts',
  },
  {
    id: 'worker-error',
    programs: ['thread-basics'],
    on: {
      node: "a worker that throws reaches the parent's 'error' listener, and nothing else is printed",
      deno: "the parent's 'error' listener runs, and Deno also prints \"error: Uncaught (in worker)\" with the stack",
    },
    spec: 'tests/specs/02-threads/transcript.spec.ts',
    transcripts: [
      {
        area: '02-threads',
        deno: {
          missing: [],
          added: [
            'thread-basics   error: Uncaught (in worker "") (in promise) Error: quitter gave up on purpose',
            // biome-ignore lint/suspicious/noTemplateCurlyInString: the worker's source line, as Deno quotes it
            'thread-basics   if (fail) throw new Error(`${name} gave up on purpose`);',
            'thread-basics                   ^',
            'thread-basics       at file://<repo>/examples/02-threads/src/thread-basics-worker.mjs:16:17',
          ],
        },
      },
    ],
  },
  {
    id: 'cluster-port-0',
    programs: ['cluster-server'],
    on: {
      node: 'with --port 0 the workers share the one port the primary picks, and requests spread over them',
      bun: 'with --port 0 each worker gets a port of its own, so the port printed reaches one worker only',
    },
    spec: 'tests/specs/runtimes/02-threads.spec.ts',
    transcripts: [
      {
        area: '02-threads',
        bun: {
          missing: ['                (2 different worker processes answered the 4 requests)'],
          added: ['                (1 different worker processes answered the 4 requests)'],
        },
      },
    ],
  },
  {
    id: 'cluster-reuseport',
    programs: ['cluster-server'],
    on: {
      node: 'a second copy on the same port exits 1 with EADDRINUSE',
      bun: 'a second copy on the same fixed port starts too (SO_REUSEPORT) and takes part of the traffic',
    },
    spec: 'tests/specs/runtimes/02-threads.spec.ts',
  },
  {
    id: 'undici-agent',
    programs: ['http-client', 'board-client'],
    on: {
      node: "--ca (and http-client's --http2) reach undici's Agent, which verifies the server by that CA",
      bun: 'Bun puts its own fetch in place of the undici package and ignores the Agent: UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    },
    spec: 'tests/specs/runtimes/04-framework.spec.ts',
    transcripts: [
      {
        area: '04-framework',
        bun: {
          missing: [
            'http-client',
            'http-client     HTTP/2 200',
            'http-client     Hello, world!',
            'http-client     cache-control: no-store',
            'http-client     content-length: 13',
            "http-client     content-security-policy: default-src 'none'; frame-ancestors 'none'",
            'http-client     content-type: text/plain; charset=utf-8',
            'http-client     date: <date>',
            'http-client     strict-transport-security: max-age=300',
            'http-client     x-content-type-options: nosniff',
          ],
          added: [
            'http-client     error: localhost:5000: refused: certificate not signed by a trusted CA (UNABLE_TO_VERIFY_LEAF_SIGNATURE)',
            'http-client     (exit 1)',
          ],
        },
      },
      {
        area: '07-web',
        bun: {
          missing: [
            'board           refused POST /posts from 127.0.0.1: Sec-Fetch-Site: cross-site',
            'board-client      alice: Hello, <b>board</b>',
            'board-client      alice: Hello, <b>board</b>',
            'board-client    GET /: 200 OK',
            'board-client    GET /: 200 OK',
            'board-client    POST /login: 303 See Other, to /',
            'board-client    POST /login: 422 Unprocessable Entity',
            'board-client    POST /logout: 303 See Other, to /',
            'board-client    POST /posts from https://evil.example: 403 Forbidden, refused',
            'board-client    POST /posts: 303 See Other, to /',
            'board-client    POST /register: 303 See Other, to /',
            'board-client    error: got 422, not 303: Wrong name or password.',
          ],
          added: [
            ...Array(3).fill(
              'board-client    error: 127.0.0.1:4443: certificate not signed by a trusted CA (UNABLE_TO_VERIFY_LEAF_SIGNATURE)',
            ),
            'board-client    (exit 1)',
            'board-client    (exit 1)',
          ],
        },
      },
    ],
  },
  {
    id: 'abort-timeout',
    programs: ['http-client', 'board-client', 'concurrent-client'],
    on: {
      node: "a client exits once its answer is in: AbortSignal.timeout()'s timer does not keep the process alive",
      deno: 'a client exits only when its --timeout runs out, answered or not: the timer keeps the process alive',
    },
    spec: 'tests/specs/runtimes/04-framework.spec.ts',
  },
  {
    id: 'h2-headers-timeout',
    programs: ['app'],
    on: {
      node: 'with --http2, an HTTP/1.1 client that trickles its headers is cut off after the headers timeout',
      bun: 'with --http2, an HTTP/1.1 client that trickles its headers is never cut off',
    },
    spec: 'tests/specs/runtimes/04-framework.spec.ts',
  },
  {
    id: 'udp-refused',
    programs: ['udp-client'],
    on: {
      node: 'a datagram to a closed port brings ECONNREFUSED at once: "nobody is listening", exit 1',
      deno: 'no ECONNREFUSED: the client retries until its attempts run out, "no answer", exit 1',
    },
    spec: 'tests/specs/runtimes/05-udp.spec.ts',
  },
  {
    id: 'udp-unreachable',
    programs: ['udp-server', 'lossy-relay'],
    on: {
      node: 'an answer to a sender that has gone is dropped without a word (the ICMP "port unreachable" is not reported)',
      bun: 'the socket reports ECONNREFUSED for it (udp-server logs "error: ECONNREFUSED"), and an answer sent then may be lost',
    },
    spec: 'tests/specs/runtimes/05-udp.spec.ts',
  },
  {
    id: 'connect-errors',
    programs: ['echo-client'],
    on: {
      node: 'a host that does not answer ARP is EHOSTUNREACH, a network with no route ENETUNREACH',
      bun: 'every failed connect is ECONNREFUSED, so "refused", "host unreachable" and "no route" read alike',
    },
    spec: 'tests/specs/runtimes/06-network.spec.ts',
    transcripts: [
      {
        area: '06-network',
        bun: {
          missing: [
            'b echo-client   error: 10.0.1.99:8080: host unreachable (EHOSTUNREACH)',
            'b echo-client   error: 10.0.2.20:8080: network unreachable (ENETUNREACH)',
            'c echo-client   error: 10.0.1.10:8080: network unreachable (ENETUNREACH)',
          ],
          added: [
            'b echo-client   error: 10.0.1.99:8080: connection refused, is the server running? (ECONNREFUSED)',
            'b echo-client   error: 10.0.2.20:8080: connection refused, is the server running? (ECONNREFUSED)',
            'c echo-client   error: 10.0.1.10:8080: connection refused, is the server running? (ECONNREFUSED)',
          ],
        },
      },
    ],
  },
  {
    id: 'udp-route-errors',
    programs: ['udp-client', 'game-client'],
    on: {
      node: 'a datagram to a network with no route fails at once: ENETUNREACH',
      bun: 'the error has no code, only the words "Failed to connect socket", which the client prints as they are',
      deno: 'no error: the client retries until its attempts run out, "no answer", exit 1',
    },
    spec: 'tests/specs/runtimes/06-network.spec.ts',
  },
  {
    id: 'connect-timeout',
    programs: ['echo-client'],
    on: {
      node: "socket.setTimeout() counts from connect(): a SYN a firewall drops ends in --timeout's error",
      bun: 'socket.setTimeout() does not count while connecting: the client waits as long as the kernel retries a SYN',
    },
    spec: 'tests/specs/runtimes/06-network.spec.ts',
    transcripts: [
      {
        area: '06-network',
        // The tour gives up on the client and kills it.
        bun: {
          missing: [
            'b echo-client   error: timed out after 1500 ms waiting for 10.0.1.10:8080',
            'b echo-client   (exit 1)',
          ],
          added: ['b echo-client   (exit SIGKILL)'],
        },
      },
    ],
  },
  {
    id: 'child-exit-after-kill',
    programs: ['lab'],
    on: {
      node: "lab exec exits with its command's code: a server stopped through it with SIGTERM exits 0",
      deno: "a child that was sent a signal is reported as killed by it, so lab exec exits 143 though the server said 'stopped'",
    },
    spec: 'tests/specs/runtimes/06-network.spec.ts',
  },
];

/** The entries that concern any of these programs. */
export function differencesOf(programs: string[]): RuntimeDifference[] {
  return runtimeDifferences.filter((difference) => difference.programs.some((name) => programs.includes(name)));
}
