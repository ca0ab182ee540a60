/**
 * The example contract (CONTRIBUTING.md, shared/src/cli.ts), checked for every program of one area (each area's
 * contract.spec.ts calls this, so the areas run in parallel): --help, an unknown flag, a bad value
 * of each kind for an integer flag, and for servers the readiness line, a second copy on the same
 * port, and SIGTERM. A new example gets these checks by existing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runProgram, startServer } from '@netprog/shared/program';
import { discoverPrograms, nodeNeededBy } from '@netprog/shared/programs';
import { connect } from '@netprog/shared/tcp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCleanStop, withoutNodeWarnings } from './checks.ts';

const stackTrace = /^\s+at /m;
/** Values the one integer rule must refuse: hex, an exponent, nothing, and far out of range. */
const badIntegers = ['0x3', '3e2', '', '99999999999999999999'];

export function checkContract(area: string): void {
  const programs = discoverPrograms().filter((program) => program.area === area);
  // Programs run in an empty directory, so one that writes files (file-server) writes them there.
  const cwd = mkdtempSync(path.join(tmpdir(), 'contract-'));
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));
  // An area with TLS servers makes its certificates first, as its README tells a learner to.
  const makeCerts = programs.find((program) => program.name === 'make-certs');
  beforeAll(async () => {
    if (makeCerts) expect((await runProgram(makeCerts.file, { cwd })).exitCode).toBe(0);
  }, 30_000);

  it('finds the programs of the area', () => expect(programs.length).toBeGreaterThanOrEqual(2));

  // Every integer flag goes through the same rule, so each program is tried with one bad value,
  // the four kinds taking turns across the programs; the flag is the first integer its --help lists.
  describe.each(programs)('$name', (program) => {
    it('--help exits 0; an unknown flag exits 2 and a bad integer exits 1, each with one error line', async () => {
      const help = await runProgram(program.file, { args: ['--help'], cwd });
      expect(help).toMatchObject({ exitCode: 0, stderr: '' });
      expect(help.stdout).toMatch(new RegExp(`^usage: ${program.name} `));

      const unknown = await runProgram(program.file, { args: ['--no-such-flag'], cwd });
      expect(unknown).toMatchObject({ exitCode: 2, stdout: '' });
      expect(unknown.stderr).toMatch(/^error: unknown flag '--no-such-flag'; usage: [^\n]*\n$/);

      const flag = /--([a-z-]+) (?:N|MS|PORT)\b/.exec(help.stdout)?.[1];
      expect(flag, 'a program with no integer flag').toBeDefined();
      const bad = badIntegers[programs.indexOf(program) % badIntegers.length] ?? '';
      const refused = await runProgram(program.file, { args: [`--${flag}`, bad], cwd });
      expect(refused).toMatchObject({ exitCode: 1, stdout: '' });
      expect(refused.stderr).toMatch(
        new RegExp(`^error: --${flag} must be an integer from \\d+ to \\d+, got '${bad}'\\n$`),
      );
    });
  });

  // An area that needs a newer Node (07-web's node:sqlite) must say so in one line on this one, and start nowhere.
  const needs = nodeNeededBy(area);
  describe.each(programs.filter((program) => program.isServer && needs))(
    '$name (server) on too old a Node',
    (program) => {
      it(`refuses to start on Node ${process.versions.node} in one line naming Node ${needs}, exit 1`, async () => {
        const refused = await runProgram(program.file, { args: ['--port', '0'], cwd });
        expect(refused).toMatchObject({ exitCode: 1, stdout: '' });
        expect(refused.stderr).toMatch(
          new RegExp(`^error: .*\\bNode ${needs} and newer; this is Node ${process.versions.node}\\n$`),
        );
      });
    },
  );

  describe.each(programs.filter((program) => program.isServer && !needs))('$name (server)', (program) => {
    it('prints the readiness line with the real port; a second copy on that port exits 1; SIGTERM exits 0', async () => {
      const server = await startServer(program.file, { cwd });
      expect(server.host).toBe('127.0.0.1');
      expect(server.port).toBeGreaterThan(0);
      if (server.scheme !== 'udp') (await connect(server.port)).destroy();
      const second = await runProgram(program.file, { args: ['--port', String(server.port)], cwd });
      expect(second.exitCode).toBe(1);
      expect(withoutNodeWarnings(second.stderr)).toMatch(
        new RegExp(
          `^error: cannot listen on 127\\.0\\.0\\.1:${server.port}: address already in use \\(EADDRINUSE\\)\\n$`,
        ),
      );
      expect(second.stderr).not.toMatch(stackTrace);
      await expectCleanStop(server, 5000);
    });
  });
}
