/**
 * What TLS costs, measured rather than rumoured: the echo of 01-socket over plain TCP and over TLS
 * (echo-server vs tls-echo-server, the same load), and new connections per second with a full TLS
 * handshake vs with a resumed session (the client offers the ticket of an earlier session).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { runProgram, startServer } from '@netprog/shared/program';
import { programFile } from '@netprog/shared/programs';
import { echoLoad } from './load.ts';

export interface TlsCost {
  plainRate: number;
  tlsRate: number;
  fullHandshakes: number;
  resumedHandshakes: number;
  resumedShare: number;
}

/** Opens, handshakes and closes connections one after another for `durationMs`, from 4 clients. */
async function handshakesPerSecond(port: number, ca: Buffer, durationMs: number, resume: boolean) {
  const deadline = performance.now() + durationMs;
  let done = 0;
  let resumed = 0;
  let ticket: Buffer | undefined;
  // One context for every connection, as a real client keeps one: parsing the CA is not the handshake.
  const secureContext = tls.createSecureContext({ ca });
  const client = async () => {
    while (performance.now() < deadline) {
      await new Promise<void>((resolve, reject) => {
        const offered = resume ? ticket : undefined;
        const socket = tls.connect({
          port,
          host: '127.0.0.1',
          secureContext,
          servername: 'localhost',
          session: offered,
        });
        // A session ticket comes after the handshake; a client that wants to resume keeps the latest.
        socket.on('session', (session: Buffer) => {
          ticket = session;
          if (offered === undefined) socket.end();
        });
        socket.once('secureConnect', () => {
          done++;
          if (socket.isSessionReused()) resumed++;
          // Without a ticket to offer yet, wait for one; otherwise the handshake is all we came for.
          if (!resume || offered !== undefined) socket.end();
        });
        socket.once('error', reject);
        socket.once('close', () => resolve());
      });
    }
  };
  await Promise.all(Array.from({ length: 4 }, client));
  return { perSecond: done / (durationMs / 1000), resumedShare: done === 0 ? 0 : resumed / done };
}

export async function measureTlsCost(durationMs: number): Promise<TlsCost> {
  const directory = mkdtempSync(path.join(tmpdir(), 'bench-tls-'));
  try {
    await runProgram(programFile('01-socket', 'make-certs'), { cwd: directory });
    const ca = readFileSync(path.join(directory, 'certs/ca.crt'));
    const load = { connections: 50, size: 4096, durationMs, threads: 2 };
    const plain = await startServer(programFile('01-socket', 'echo-server'));
    const plainRate = (await echoLoad({ kind: 'tcp', port: plain.port, ...load })).requestsPerSecond;
    await plain.stop();
    const secure = await startServer(programFile('01-socket', 'tls-echo-server'), { cwd: directory });
    const tlsRate = (await echoLoad({ kind: 'tls', port: secure.port, ca: ca.toString(), ...load })).requestsPerSecond;
    const full = await handshakesPerSecond(secure.port, ca, durationMs, false);
    const resumed = await handshakesPerSecond(secure.port, ca, durationMs, true);
    await secure.stop();
    return {
      plainRate,
      tlsRate,
      fullHandshakes: full.perSecond,
      resumedHandshakes: resumed.perSecond,
      resumedShare: resumed.resumedShare,
    };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
