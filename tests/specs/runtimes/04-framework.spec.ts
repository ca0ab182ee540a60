/** What 04-framework's programs do differently on Bun or Deno (shared/src/runtime-differences.ts), pinned on each. */
import { once } from 'node:events';
import net from 'node:net';
import { runProgram, startServer } from '@netprog/shared/program';
import { programFile } from '@netprog/shared/programs';
import { connect, readToEnd } from '@netprog/shared/tcp';
import { expect, it } from 'vitest';
import { useCerts } from '../../support/certs.ts';
import { expectCleanStop } from '../../support/checks.ts';
import { differsHere, pinned } from '../../support/runtimes.ts';

const certs = useCerts('04-framework');
const tlsArgs = () => ['--key', certs.file('server.key'), '--cert', certs.file('server.crt')];

it(pinned('undici-agent'), async () => {
  const server = await startServer(programFile('04-framework', 'app'), { args: tlsArgs() });
  const result = await runProgram(programFile('04-framework', 'http-client'), {
    args: ['--ca', certs.file('ca.crt'), '--timeout', '5000', `https://localhost:${server.port}/`],
  });
  if (differsHere('undici-agent')) {
    expect(result).toMatchObject({ exitCode: 1, stdout: '' });
    expect(result.stderr).toBe(
      `error: localhost:${server.port}: refused: certificate not signed by a trusted CA (UNABLE_TO_VERIFY_LEAF_SIGNATURE)\n`,
    );
  } else {
    expect(result).toMatchObject({ exitCode: 0, stderr: '' });
    expect(result.stdout).toMatch(/^HTTP\/1\.1 200 OK\n[\s\S]*\n\nHello, world!\n$/);
  }
  await expectCleanStop(server);
});

it(pinned('abort-timeout'), async () => {
  const server = await startServer(programFile('04-framework', 'raw-server'));
  // A deadline of 20 s for the exchange; the answer comes at once, so only a timer left running can hold the client.
  const result = await runProgram(programFile('04-framework', 'http-client'), {
    args: ['--timeout', '20000', `http://127.0.0.1:${server.port}/`],
    timeoutMs: 10_000,
  });
  expect(result.stdout).toMatch(/^HTTP\/1\.1 200 OK\n/);
  expect(result.killed).toBe(differsHere('abort-timeout'));
  await expectCleanStop(server);
});

it(pinned('h2-headers-timeout'), async () => {
  const server = await startServer(programFile('04-framework', 'app'), {
    args: [...tlsArgs(), '--http2', '--headers-timeout', '1000'],
  });
  // An HTTP/1.1 client (no ALPN) that sends half its headers and then nothing.
  const socket = await connect(server.port, { tls: certs.tlsProbe() });
  socket.write('GET / HTTP/1.1\r\nHost: test\r\nX-Slow: a');
  const outcome = await readToEnd(socket, { timeoutMs: 5000 }).then(
    (reply) =>
      `cut off${/^HTTP\/1\.1 408/.test(reply.toString('latin1')) || reply.length === 0 ? '' : ': another answer'}`,
    (error: Error) => error.message,
  );
  expect(outcome).toBe(
    differsHere('h2-headers-timeout') ? 'peer silent for 5000 ms after 0 bytes, before EOF' : 'cut off',
  );
  socket.destroy();
  await expectCleanStop(server);
});

it(pinned('half-close'), async () => {
  const server = await startServer(programFile('04-framework', 'raw-server'));
  const socket = await connect(server.port);
  const body = '{"message":"hi"}';
  socket.end(
    `POST /echo HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
  );
  const reply = (await readToEnd(socket)).toString('latin1');
  if (differsHere('half-close')) {
    expect(reply).toBe('');
    await server.waitFor('"aborted" logged', () => /^error POST \/echo: aborted$/m.exec(server.stderr) ?? undefined);
  } else {
    expect(reply).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*"message":"hi"/);
  }
  await expectCleanStop(server);
});

// Fixed in the example, so the same on every runtime: Bun's fetch names a response that is not HTTP otherwise.
it('http-client calls an answer that is not HTTP a bad response, on every runtime', async () => {
  // Bun's client resets the connection once it has seen the answer; that is no concern of the liar's.
  const liar = net.createServer((socket) => socket.on('error', () => {}).end('HELLO, I AM NOT HTTP\r\n\r\n'));
  liar.listen(0, '127.0.0.1');
  await once(liar, 'listening');
  const { port } = liar.address() as net.AddressInfo;
  const result = await runProgram(programFile('04-framework', 'http-client'), {
    args: ['--timeout', '5000', `http://127.0.0.1:${port}/`],
  });
  liar.close();
  expect(result).toMatchObject({ exitCode: 1, stdout: '' });
  expect(result.stderr).toMatch(/^error: bad response from 127\.0\.0\.1:\d+: [^\n]+\n$/);
});
