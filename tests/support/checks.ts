/**
 * The checks the specs apply to servers, written as functions that throw with a reason, so the
 * same checks can be turned on broken fixture servers to prove they fail (can-fail.spec.ts).
 */
import { randomBytes } from 'node:crypto';
import type { Server } from '@netprog/shared/program';
import { connect, exchange, reset, writeInPieces } from '@netprog/shared/tcp';

/** Sends `payload` (in pieces of `pieceBytes`), half-closes, and requires the exact bytes back. */
export async function expectEcho(port: number, payload: Buffer, pieceBytes?: number): Promise<void> {
  const reply = await exchange(port, payload, { pieceBytes, timeoutMs: 10_000 });
  if (!reply.equals(payload)) {
    throw new Error(
      `echo of ${payload.length} bytes came back as ${reply.length} different bytes: ` +
        `${JSON.stringify(reply.subarray(0, 40).toString('latin1'))}…`,
    );
  }
}

/**
 * Opens `count` connections and drops each with a reset: a third straight after connecting, a
 * third after sending, a third in the middle of receiving a large echo. Then the server must
 * still be running and still echo correctly.
 */
export async function expectSurvivesResets(server: Server, count: number): Promise<void> {
  const payload = randomBytes(256 * 1024);
  for (let batch = 0; batch < count; batch += 30) {
    await Promise.all(
      Array.from({ length: Math.min(30, count - batch) }, async (_, index) => {
        const socket = await connect(server.port);
        socket.on('error', () => {});
        if (index % 3 === 1) await writeInPieces(socket, Buffer.from('about to vanish\n'));
        if (index % 3 === 2) {
          socket.write(payload);
          await new Promise((resolve) => {
            socket.once('data', resolve);
            socket.once('close', resolve);
          });
        }
        reset(socket);
      }),
    );
  }
  if (!server.isRunning()) throw server.failure(`died after ${count} resets`);
  await expectEcho(server.port, Buffer.from('still here\n'));
}

/** Stops the server with SIGTERM and requires exit code 0 within `withinMs`. */
export async function expectCleanStop(server: Server, withinMs = 5000): Promise<void> {
  const result = await server.stop({ signal: 'SIGTERM', deadlineMs: withinMs });
  if (result.killed) throw server.failure(`ignored SIGTERM for ${withinMs} ms and was killed`);
  if (result.exitCode !== 0) throw server.failure(`exited with ${result.exitCode ?? result.signal} on SIGTERM`);
  // The last line is the promise that nothing of the program is left running, so it comes last.
  if (!/^stopped\b/.test(server.stdoutLines.at(-1) ?? ''))
    throw server.failure(`did not print "stopped" last: ${JSON.stringify(server.stdoutLines.slice(-2))}`);
}

/**
 * What a program printed on stderr, less the warning Node 22 prints when node:sqlite is loaded (07-web's board;
 * Node 24 and 26 print none). It is Node's, not the program's, so the one-line rules are checked without it.
 */
export function withoutNodeWarnings(stderr: string): string {
  return stderr.replace(
    /^\(node:\d+\) ExperimentalWarning: SQLite is an experimental feature and might change at any time\n\(Use `node --trace-warnings \.\.\.` to show where the warning was created\)\n/m,
    '',
  );
}
