/**
 * Hostile clients, for every server (each area's hostile.spec.ts calls this): fast-check generates
 * connections of seeded random bytes mixed with the protocol's own malformed messages, ended by a
 * half-close or a reset, or datagrams of the same. After each one the server must still answer a
 * well-formed request; at the end it must have printed no stack trace, its memory must not have
 * grown without bound, and it must stop cleanly. A failure prints the seed and the shrunk input;
 * `HOSTILE_SEED=<seed> npx vitest run hostile` replays it.
 */
import dgram from 'node:dgram';
import { fc } from '@fast-check/vitest';
import { httpGet } from '@netprog/shared/http';
import { residentBytes } from '@netprog/shared/proc';
import { type ProgramOptions, type Server, startServer } from '@netprog/shared/program';
import { connect, readToEnd } from '@netprog/shared/tcp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectCleanStop } from './checks.ts';

export interface HostileTarget {
  file: string;
  name: string;
  transport: 'tcp' | 'udp';
  /** How to start it (a function when it needs something made first, such as a port to forward to). */
  options?: ProgramOptions | (() => ProgramOptions);
  /** The protocol's own mistakes: what a fuzzer would rarely find by chance. */
  malformed: Array<string | Buffer>;
  /** A well-formed request, answered correctly; throws otherwise. */
  answers: (server: Server) => Promise<void>;
  /** Anything else that must hold at the end (file-server: nothing written where it should not be). */
  finally?: (server: Server) => Promise<void> | void;
}

const seed = Number(process.env.HOSTILE_SEED ?? Math.floor(Math.random() * 2 ** 31));
const runs = 25;
const stackTrace = /^\s+at /m;
const controlCharacter = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;
/** RSS may grow while the heap warms up, but not by this much over a few dozen connections. */
const maxGrowthBytes = 96 * 1024 * 1024;

function payload(malformed: Array<string | Buffer>) {
  const known = malformed.map((message) => Buffer.from(message));
  return fc.oneof(
    fc.uint8Array({ maxLength: 4096 }).map((bytes) => Buffer.from(bytes)),
    ...(known.length > 0 ? [fc.constantFrom(...known)] : []),
  );
}

/** One hostile TCP connection: its pieces, each written as it comes, then a half-close or a reset. */
async function attackTcp(port: number, pieces: Buffer[], ending: 'end' | 'reset'): Promise<void> {
  const socket = await connect(port);
  socket.on('error', () => {}); // The server may close on us mid-attack; that is its right.
  for (const piece of pieces) {
    if (socket.destroyed) break;
    await new Promise<void>((resolve) => socket.write(piece, () => resolve()));
  }
  if (ending === 'reset' || socket.destroyed) return void socket.resetAndDestroy();
  socket.end();
  // Read what the server says until it closes; a server may keep a half-closed connection open a
  // while (it is the client's to close), so after a bounded wait the client goes.
  await readToEnd(socket, { timeoutMs: 1000 }).catch(() => {});
  socket.destroy();
}

async function attackUdp(port: number, datagrams: Buffer[]): Promise<void> {
  const socket = dgram.createSocket('udp4');
  socket.on('error', () => {});
  for (const datagram of datagrams) {
    await new Promise<void>((resolve) => socket.send(datagram.subarray(0, 1400), port, '127.0.0.1', () => resolve()));
  }
  socket.close();
}

/**
 * Runs the hostile connections (or bursts) against a running server; throws, with the seed and the
 * failing input, when the server stops answering, prints a stack trace or keeps growing.
 */
export async function expectSurvivesHostileClients(server: Server, target: HostileTarget): Promise<void> {
  const rssBefore = residentBytes(server.pid);
  const attack =
    target.transport === 'tcp'
      ? fc.record({
          pieces: fc.array(payload(target.malformed), { maxLength: 6 }),
          ending: fc.constantFrom<'end' | 'reset'>('end', 'reset'),
        })
      : fc.record({
          pieces: fc.array(payload(target.malformed), { minLength: 1, maxLength: 20 }),
          ending: fc.constant<'end' | 'reset'>('end'),
        });
  await fc.assert(
    fc.asyncProperty(attack, async ({ pieces, ending }) => {
      if (target.transport === 'tcp') await attackTcp(server.port, pieces, ending);
      else await attackUdp(server.port, pieces);
      await target.answers(server);
      if (stackTrace.test(server.stderr)) throw new Error(`printed a stack trace:\n${server.stderr}`);
      // What came from the network is logged with its control characters escaped (cli.printable).
      const raw = controlCharacter.exec(server.stdout + server.stderr);
      if (raw) throw new Error(`logged a raw control character ${JSON.stringify(raw[0])}`);
    }),
    { seed, numRuns: runs, endOnFailure: true },
  );
  const growth = residentBytes(server.pid) - rssBefore;
  if (growth > maxGrowthBytes) throw new Error(`resident memory grew by ${Math.round(growth / 2 ** 20)} MiB`);
}

export function checkHostileClients(target: HostileTarget): void {
  let server: Server;
  beforeAll(async () => {
    const options = typeof target.options === 'function' ? target.options() : target.options;
    server = await startServer(target.file, options);
    await target.answers(server);
  });
  afterAll(() => {
    if (server?.isRunning()) server.kill();
  });

  const what = target.transport === 'tcp' ? 'connections' : 'bursts';
  it(`${target.name} serves on after ${runs} hostile ${what}, then stops cleanly (seed ${seed})`, async () => {
    await expectSurvivesHostileClients(server, target);
    await expectCleanStop(server);
    expect(server.stderr).not.toMatch(stackTrace);
    await target.finally?.(server);
  });
}

/** HTTP's own mistakes: bad request lines, bad lengths, smuggling shapes, bad chunks, huge or control-laden headers. */
export const malformedHttp = [
  'GARBAGE\r\n\r\n',
  'GET / HTTP/9.9\r\nHost: x\r\n\r\n',
  'GET /\x00 HTTP/1.1\r\nHost: x\r\n\r\n',
  'GET / HTTP/1.1\r\nHost: x\r\nX-Evil: \x1b[2J\x1b]0;pwned\x07\r\n\r\n',
  'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n',
  'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
  'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
  'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 9\r\n\r\n{"messa',
  'POST /inspect HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n',
  `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
  'GET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\nGET /',
];

/** A well-formed GET that must get a 200. */
export function answersHttp(path: string): (server: Server) => Promise<void> {
  return async (server) => {
    const reply = await httpGet(server.port, path, { timeoutMs: 5000 });
    if (reply.status !== 200) throw new Error(`GET ${path} answered ${reply.status}: ${reply.body.slice(0, 200)}`);
  };
}
