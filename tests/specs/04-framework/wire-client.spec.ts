import net from 'node:net';
import { runProgram, startServer } from '@netprog/shared/program';
import { programFile } from '@netprog/shared/programs';
import { expect, it } from 'vitest';
import { expectCleanStop } from '../../support/checks.ts';
import { closedTcpPort } from '../../support/peers.ts';

const wireClient = programFile('04-framework', 'wire-client');

/** A TCP proxy in front of `port` that records every byte each way: the capture to compare with. */
async function capturingProxy(port: number) {
  const sent: Buffer[] = [];
  const received: Buffer[] = [];
  const proxy = net.createServer((client) => {
    const upstream = net.connect(port, '127.0.0.1');
    client.on('data', (chunk: Buffer) => sent.push(chunk)).pipe(upstream);
    upstream.on('data', (chunk: Buffer) => received.push(chunk)).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    port: (proxy.address() as net.AddressInfo).port,
    sent: () => Buffer.concat(sent).toString('utf8'),
    received: () => Buffer.concat(received).toString('utf8'),
    close: () => proxy.close(),
  };
}

/** The lines wire-client printed after a marker ("> " or "< "), up to and including the bare marker. */
function printedHead(stdout: string, marker: string): string[] {
  const lines = stdout.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`${marker} `));
  const end = lines.indexOf(marker, start);
  return lines.slice(start, end).map((line) => line.slice(2));
}

it.each([
  ['app', 'GET /', []],
  ['app', 'POST /echo with a JSON body', ['--data', '{"message":"hi"}', '--header', 'Content-Type: application/json']],
  ['raw-server', 'GET /chunked', []],
])('prints exactly what went over the wire: %s, %s', async (name, what, args) => {
  const server = await startServer(programFile('04-framework', name));
  const proxy = await capturingProxy(server.port);
  const path = what.split(' ')[1];
  const result = await runProgram(wireClient, { args: [...args, `http://127.0.0.1:${proxy.port}${path}`] });
  proxy.close();
  expect(result.exitCode).toBe(0);

  const [sentHead = '', sentBody = ''] = proxy.sent().split('\r\n\r\n');
  const [receivedHead = '', ...receivedRest] = proxy.received().split('\r\n\r\n');
  expect(printedHead(result.stdout, '>')).toEqual(sentHead.split('\r\n'));
  expect(printedHead(result.stdout, '<')).toEqual(receivedHead.split('\r\n'));
  if (sentBody) expect(result.stdout).toContain(`>\n${sentBody}\n`);
  expect(result.stdout).toContain(`<\n${receivedRest.join('\r\n\r\n')}`); // the body as it travelled
  await expectCleanStop(server);
});

it('decodes a chunked body and says how many chunks carried it', async () => {
  const server = await startServer(programFile('04-framework', 'raw-server'));
  const result = await runProgram(wireClient, { args: [`http://127.0.0.1:${server.port}/chunked`] });
  expect(result.stdout).toMatch(/^< Transfer-Encoding: chunked$/m);
  expect(result.stdout).toMatch(
    /\(chunked: 3 chunk\(s\) and a last empty one; the body they carry, 14 bytes:\)\none\ntwo\nthree\n$/,
  );
  await expectCleanStop(server);
});

it('to a closed port: exit 1 with one error line', async () => {
  const port = await closedTcpPort();
  const result = await runProgram(wireClient, { args: [`http://127.0.0.1:${port}/`] });
  expect(result.exitCode).toBe(1);
  expect(result.stderr).toBe(`error: 127.0.0.1:${port}: connection refused, is the server running? (ECONNREFUSED)\n`);
});

it('refuses a malformed response from a rogue server with one error line, and escapes its control characters', async () => {
  const responses = [
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel',
    'HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\nshort',
    'NOT HTTP\r\n\r\n',
  ];
  const rogue = net.createServer((socket) => {
    socket.on('error', () => {});
    socket.once('data', () => socket.end(responses.shift() ?? ''));
  });
  await new Promise<void>((resolve) => rogue.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(rogue.address() as net.AddressInfo).port}/`;
  const reasons = [];
  for (let i = 0; i < 3; i++) {
    const result = await runProgram(wireClient, { args: [url] });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/^error: 127\.0\.0\.1:\d+ sent a malformed response: [^\n]+\n$/);
    reasons.push(result.stderr.replace(/^error: \S+ sent a malformed response: /, '').trim());
  }
  expect(reasons).toEqual(['chunked body cut short', 'body cut short: 5 of 99 bytes', 'bad status line "NOT HTTP"']);

  const escapes = net.createServer((socket) => {
    socket.on('error', () => {});
    socket.once('data', () =>
      socket.end('HTTP/1.1 200 OK\x1b[2J\r\nX-Title: \x1b]0;pwned\x07\r\nContent-Length: 0\r\n\r\n'),
    );
  });
  await new Promise<void>((resolve) => escapes.listen(0, '127.0.0.1', resolve));
  const shown = await runProgram(wireClient, {
    args: [`http://127.0.0.1:${(escapes.address() as net.AddressInfo).port}/`],
  });
  expect(shown.stdout).toContain('< X-Title: \\x1b]0;pwned\\x07\n');
  expect(shown.stdout).not.toMatch(/\x1b/);
  rogue.close();
  escapes.close();
});
