/**
 * The example contract (DESIGN.md), checked for every program found under examples/*\/src:
 * --help, unknown flags, and for servers the readiness line, SIGTERM and a port already in use.
 * A new example gets these checks by existing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runProgram, startServer } from '@netprog/shared/program';
import { discoverPrograms } from '@netprog/shared/programs';
import { connect } from '@netprog/shared/tcp';
import { afterAll, describe, expect, it } from 'vitest';
import { expectCleanStop } from '../support/checks.ts';

const programs = discoverPrograms();
// Servers run in an empty directory, so one that writes files (file-server) writes them there.
const cwd = mkdtempSync(path.join(tmpdir(), 'contract-'));
const stackTrace = /^\s+at /m;
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

it('finds the example programs', () => {
  expect(programs.map((program) => program.name)).toEqual(
    expect.arrayContaining(['hello-server', 'echo-server', 'echo-client', 'file-server', 'file-client']),
  );
});

describe.each(programs)('$area/$name', (program) => {
  it('--help prints usage and exits 0', async () => {
    const result = await runProgram(program.file, { args: ['--help'], cwd });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^usage: ${program.name} `));
    expect(result.stderr).toBe('');
  });

  it('an unknown flag prints one usage line to stderr and exits 2', async () => {
    const result = await runProgram(program.file, { args: ['--no-such-flag'], cwd });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^[^\n]*--no-such-flag[^\n]*usage: [^\n]*\n$/);
    expect(result.stdout).toBe('');
  });
});

describe.each(programs.filter((program) => program.isServer))('$area/$name (server)', (program) => {
  it('--port 0 prints the readiness line with the real port; SIGTERM exits 0', async () => {
    const server = await startServer(program.file, { cwd });
    expect(server.host).toBe('127.0.0.1');
    expect(server.port).toBeGreaterThan(0);
    if (server.scheme !== 'udp') (await connect(server.port)).destroy();
    await expectCleanStop(server, 5000);
  });

  it('a second copy on the same port exits 1 with one error line', async () => {
    const first = await startServer(program.file, { cwd });
    try {
      const second = await runProgram(program.file, { args: ['--port', String(first.port)], cwd });
      expect(second.exitCode).toBe(1);
      expect(second.stderr).toMatch(new RegExp(`^error: [^\\n]*${first.port}[^\\n]*\\n$`));
      expect(second.stderr).not.toMatch(stackTrace);
    } finally {
      await expectCleanStop(first);
    }
  });
});
