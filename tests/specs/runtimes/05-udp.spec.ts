/** What 05-udp's programs do differently on Bun or Deno (shared/src/runtime-differences.ts), pinned on each. */
import dgram from 'node:dgram';
import { runProgram } from '@netprog/shared/program';
import { programFile } from '@netprog/shared/programs';
import { expect, it } from 'vitest';
import { differsHere, pinned } from '../../support/runtimes.ts';

it(pinned('udp-refused'), async () => {
  const probe = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => probe.bind(0, '127.0.0.1', resolve));
  const { port } = probe.address();
  await new Promise<void>((resolve) => probe.close(resolve));
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
