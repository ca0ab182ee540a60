/**
 * A file across a link that loses 5 % of what arrives and is limited to 8 Mbit/s: TCP retransmits
 * and paces, so 01-socket's file transfer arrives whole, and the server's SHA-256 check proves it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { programFile } from '@netprog/shared/programs';
import { afterEach, expect, it } from 'vitest';
import { describeLab, labFor } from '../../support/lab.ts';

const fileServer = programFile('01-socket', 'file-server');
const fileClient = programFile('01-socket', 'file-client');
const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

describeLab('a file through loss and a bandwidth limit', () => {
  it('2 MiB from b to a, 5 % lost on the way and 8 Mbit/s at most, arrives whole and verified', async () => {
    const lab = await labFor('two-hosts');
    const directory = mkdtempSync(path.join(tmpdir(), 'lossy-file-'));
    directories.push(directory);
    const content = randomBytes(2 * 1024 * 1024);
    const sha256 = createHash('sha256').update(content).digest('hex');
    writeFileSync(path.join(directory, 'data.bin'), content);

    const server = await lab.startServer('a', fileServer, [
      '--host',
      '0.0.0.0',
      '--dir',
      path.join(directory, 'received'),
    ]);
    await lab.lab('fault', 'a', 'loss', '0.05');
    await lab.lab('fault', 'b', 'rate', '8mbit');
    const sent = await lab.run(
      'b',
      fileClient,
      ['--host', '10.0.1.10', '--port', String(server.port), path.join(directory, 'data.bin')],
      {
        timeoutMs: 120_000,
      },
    );
    expect(sent.stderr).toBe('');
    expect(sent.exitCode).toBe(0);
    expect(sent.stdout).toContain(`sent data.bin: 2097152 bytes, sha256 ${sha256}\n`);
    // 2 MiB at 8 Mbit/s takes two seconds at the least: the limit really held.
    expect(sent.elapsedMs).toBeGreaterThanOrEqual(2000);
    await server.waitForLine(/^saved data\.bin \(2097152 bytes, sha256 [0-9a-f]{12}…\) from 10\.0\.1\.11:\d+$/);
    const received = readFileSync(path.join(directory, 'received', 'data.bin'));
    expect(createHash('sha256').update(received).digest('hex')).toBe(sha256);
  }, 150_000);
});
