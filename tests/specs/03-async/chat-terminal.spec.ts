/**
 * A chat member must not be able to drive the other members' terminals: control characters and
 * escape sequences reach them as visible escapes (\x1b), from the server to nc-style members and,
 * as defence in depth, in chat-client even when a rogue server sends them raw.
 */
import net from 'node:net';
import { LineClient } from '@netprog/shared/line-client';
import { runProgram, startServer } from '@netprog/shared/program';
import { programFile } from '@netprog/shared/programs';
import { expect, it } from 'vitest';
import { expectCleanStop } from '../../support/checks.ts';

const chatServer = programFile('03-async', 'chat-server');
const chatClient = programFile('03-async', 'chat-client');
// Clears the screen, retitles the window, colours text; then moves up a line to forge a server notice.
const attacks = [
  'hi \x1b[2J\x1b]0;pwned\x07 \x1b[31mred\x1b[0m',
  '\x1b[1A\rSERVER: you are banned',
  'c1 \u009b31m del \x7f',
];
const escaped = [
  'hi \\x1b[2J\\x1b]0;pwned\\x07 \\x1b[31mred\\x1b[0m',
  '\\x1b[1A\\x0dSERVER: you are banned',
  'c1 \\x9b31m del \\x7f',
];
// Anything a terminal would act on, other than the tab and the newline that ends a line.
const controls = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

it('relays control characters to nc-style members as visible escapes, and logs none', async () => {
  const server = await startServer(chatServer);
  const mallory = await LineClient.open(server.port);
  mallory.send('mallory');
  await mallory.waitFor(/^welcome mallory!/);
  const bob = await LineClient.open(server.port);
  bob.send('bob');
  await bob.waitFor(/^welcome bob!/);
  for (const attack of attacks) mallory.send(attack);
  mallory.send('done');
  await bob.waitFor(/^mallory: done$/);
  expect(bob.lines.filter((line) => line.startsWith('mallory: ')).slice(0, -1)).toEqual(
    escaped.map((text) => `mallory: ${text}`),
  );
  // A nickname with an escape in it is refused, and the refusal does not echo it.
  const sneaky = await LineClient.open(server.port);
  sneaky.send('\x1b[2Jeve');
  await sneaky.waitForClose();
  expect(sneaky.lines).toEqual(['error: a nickname is 1 to 20 letters, digits, _ or -']);
  for (const client of [mallory, bob]) client.close();
  await expectCleanStop(server);
  expect(server.stdout).not.toMatch(controls);
  expect(server.stderr).not.toMatch(controls);
});

it('chat-client escapes control characters even when the server sends them raw', async () => {
  // A rogue server: it sends the attacks as they are, then a raw error line, and hangs up.
  const rogue = net.createServer((socket) => {
    socket.on('error', () => {});
    socket.once('data', () => socket.end(`welcome!\n${attacks.join('\n')}\nerror: \x1b[2Jbanned\n`));
  });
  await new Promise<void>((resolve) => rogue.listen(0, '127.0.0.1', resolve));
  const { port } = rogue.address() as net.AddressInfo;
  const result = await runProgram(chatClient, { args: ['--port', String(port), '--nick', 'alice'] });
  rogue.close();
  expect(result.stdout).toBe(`welcome!\n${escaped.join('\n')}\n`);
  expect(result.stderr).toBe('error: \\x1b[2Jbanned\n');
  expect(result.exitCode).toBe(1);
});
