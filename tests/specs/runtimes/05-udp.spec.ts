/** What 05-udp's programs do differently on Bun or Deno (shared/src/runtime-differences.ts), pinned on each. */
import dgram from 'node:dgram';
import { setTimeout } from 'node:timers/promises';
import { runProgram, startServer } from '@netprog/shared/program';
import { programFile } from '@netprog/shared/programs';
import { udpExchange } from '@netprog/shared/udp';
import { expect, it } from 'vitest';
import { expectCleanStop } from '../../support/checks.ts';
import { freeUdpPort } from '../../support/ports.ts';
import { differsHere, pinned } from '../../support/runtimes.ts';

it(pinned('udp-refused'), async () => {
  const port = await freeUdpPort();
  // Four attempts from 100 ms: 1.5 s in all when nothing says the port is closed.
  const result = await runProgram(programFile('05-udp', 'udp-client'), {
    args: ['--port', String(port), '--timeout', '100', 'anyone?'],
  });
  expect(result.exitCode).toBe(1);
  expect(result.stderr).toBe(
    differsHere('udp-refused')
      ? `error: no answer from 127.0.0.1:${port} for 1 of 1 message(s) after 4 attempt(s) each\n`
      : `error: nobody is listening on 127.0.0.1:${port} (ECONNREFUSED)\n`,
  );
});

it(pinned('udp-unreachable'), async () => {
  const server = await startServer(programFile('05-udp', 'udp-server'));
  // Ten senders that close as soon as their datagram is out, so the echoes go to closed ports. The pause is
  // the senders' pace, not a wait for the server: Bun may report several unreachable ports as one error.
  for (let sender = 0; sender < 10; sender++) {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => socket.send('gone', server.port, '127.0.0.1', () => resolve()));
    socket.close();
    await setTimeout(30);
  }
  if (differsHere('udp-unreachable')) {
    await server.waitFor('ECONNREFUSED logged', () => /^error: ECONNREFUSED$/m.exec(server.stderr) ?? undefined);
  } else {
    // The server reads in order, so once this echo is back it has answered the ten.
    expect((await udpExchange(server.port, 'still here?', 5000)).toString()).toBe('still here?');
    expect(server.stderr).toBe('');
  }
  await expectCleanStop(server);
});
