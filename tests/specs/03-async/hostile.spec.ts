/** Hostile clients against the servers of 03-async (see support/hostile.ts). */
import { LineClient } from '@netprog/shared/line-client';
import { programFile } from '@netprog/shared/programs';
import { describe } from 'vitest';
import { expectEcho } from '../../support/checks.ts';
import { checkHostileClients } from '../../support/hostile.ts';

describe('async-echo-server', () =>
  checkHostileClients({
    name: 'async-echo-server',
    file: programFile('03-async', 'async-echo-server'),
    transport: 'tcp',
    options: { args: ['--max-line-bytes', '1024'] },
    malformed: ['\r\n', '\xe2\x82', `${'x'.repeat(2000)}\n`, Buffer.from([0xff, 0xfe, 0x0a])],
    answers: (server) => expectEcho(server.port, Buffer.from('still here\n')),
  }));

let member = 0;
describe('chat-server', () =>
  checkHostileClients({
    name: 'chat-server',
    file: programFile('03-async', 'chat-server'),
    transport: 'tcp',
    options: { args: ['--max-line-bytes', '1024'] },
    malformed: [
      '\x1b[2Jeve\n',
      '/quit\n',
      'mallory\n/quit\n',
      `mallory\n${'x'.repeat(2000)}\n`,
      'mallory\n\x1b]0;pwned\x07\x1b[1A\rSERVER: banned\n',
      `${'n'.repeat(5000)}\n`,
    ],
    answers: async (server) => {
      const nick = `check${member++}`;
      const client = await LineClient.open(server.port);
      client.send(nick);
      await client.waitFor(new RegExp(`^welcome ${nick}!`));
      client.close();
    },
  }));
