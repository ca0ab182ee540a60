/**
 * Certificates for the specs, made the way a learner makes them: by the area's own make-certs, in
 * a temporary directory of the spec file's own, once per file. `tlsProbe` is how a probe verifies
 * the server: by that CA and the name localhost.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runProgram } from '@netprog/shared/program';
import { programFile } from '@netprog/shared/programs';
import { afterAll, beforeAll, expect } from 'vitest';

export interface Certs {
  /** The directory make-certs ran in; the certificates are in its certs/ folder. */
  dir: string;
  file: (name: string) => string;
  /** TLS options that verify a server by the CA and the name localhost (valid once beforeAll has run). */
  tlsProbe: () => { ca: Buffer; servername: string };
}

export function useCerts(area: string): Certs {
  const dir = mkdtempSync(path.join(tmpdir(), 'certs-'));
  const file = (name: string) => path.join(dir, 'certs', name);
  let ca: Buffer | undefined;
  beforeAll(async () => {
    const made = await runProgram(programFile(area, 'make-certs'), { cwd: dir });
    expect(made).toMatchObject({ exitCode: 0, stderr: '' });
    expect(made.stdout).toMatch(/^wrote certs\/ca\.crt, certs\/ca\.key, .* \(valid 30 days\)\n$/);
    ca = readFileSync(file('ca.crt'));
  }, 30_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const tlsProbe = () => {
    if (!ca) throw new Error('useCerts: the certificates are made in beforeAll');
    return { ca, servername: 'localhost' };
  };
  return { dir, file, tlsProbe };
}
