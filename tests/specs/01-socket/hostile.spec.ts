/** Hostile clients against the servers of 01-socket (see support/hostile.ts). */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { programFile } from '@netprog/shared/programs';
import { connect, exchange, readToEnd } from '@netprog/shared/tcp';
import { afterAll, describe, expect } from 'vitest';
import { expectEcho } from '../../support/checks.ts';
import { checkHostileClients } from '../../support/hostile.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('hello-server', () =>
  checkHostileClients({
    name: 'hello-server',
    file: programFile('01-socket', 'hello-server'),
    transport: 'tcp',
    malformed: [],
    answers: async (server) => {
      const greeting = await readToEnd(await connect(server.port));
      if (greeting.toString() !== 'Hello, world!\n') throw new Error(`greeted with ${JSON.stringify(`${greeting}`)}`);
    },
  }));

describe('echo-server', () =>
  checkHostileClients({
    name: 'echo-server',
    file: programFile('01-socket', 'echo-server'),
    transport: 'tcp',
    malformed: ['\r\n', '\0', Buffer.alloc(256 * 1024, 'x')],
    answers: (server) => expectEcho(server.port, Buffer.from('still here\n')),
  }));

describe('file-server', () => {
  // The server runs in an empty directory and saves to files/ inside it: anything else that
  // appears there came out of the directory it was given.
  const cwd = mkdtempSync(path.join(tmpdir(), 'hostile-files-'));
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));
  const sent = new Map<string, string>();
  checkHostileClients({
    name: 'file-server',
    file: programFile('01-socket', 'file-server'),
    transport: 'tcp',
    options: { cwd, args: ['--dir', 'files', '--max-bytes', '100000', '--idle-timeout', '2000'] },
    malformed: [
      'SEND\n',
      'SEND 5 zz name\n',
      `SEND 3 ${sha256('abc')} ../escaped\nabc`,
      `SEND 3 ${sha256('abc')} /etc/escaped\nabc`,
      `SEND 3 ${sha256('abc')} .hidden\nabc`,
      `SEND 3 ${sha256('abc')} a\x1b[2Jb\nabc`,
      `SEND 999999 ${sha256('abc')} too-big\nabc`,
      `SEND 3 ${'0'.repeat(64)} wrong-hash\nabc`,
      `SEND 10 ${sha256('0123456789')} partial\n0123`,
      `${'x'.repeat(5000)}\n`,
    ],
    answers: async (server) => {
      const name = `ok-${sent.size}.txt`;
      const content = `file number ${sent.size}\n`;
      const reply = await exchange(server.port, `SEND ${content.length} ${sha256(content)} ${name}\n${content}`);
      if (!reply.toString().startsWith('OK ')) throw new Error(`upload answered ${JSON.stringify(`${reply}`)}`);
      sent.set(name, content);
    },
    finally: () => {
      // Nothing outside files/, no partial upload left behind, nothing refused written; what was
      // sent whole is there whole.
      expect(readdirSync(cwd)).toEqual(['files']);
      expect(readdirSync(path.join(cwd, 'files')).sort()).toEqual([...sent.keys()].sort());
      for (const [name, content] of sent) expect(readFileSync(path.join(cwd, 'files', name), 'utf8')).toBe(content);
    },
  });
});
