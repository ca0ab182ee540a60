/**
 * A TLS server graded by testssl.sh, the tool administrators grade servers with: its protocols, every cipher suite it
 * offers per protocol, the known vulnerabilities (renegotiation, LUCKY13, ROBOT and the rest), and for HTTPS the
 * security headers. A grade fails on what testssl marks
 * "NOT ok" or "VULNERABLE", on any CBC suite, and on any finding of MEDIUM severity or worse beyond those a test
 * expects (with its reason). Without testssl the grading skips with the reason, except in CI, where it fails.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { expect, it } from 'vitest';
import { hasTestssl, noTestssl } from './tools.ts';

export interface Finding {
  id: string;
  severity: string;
  finding: string;
}

/** An `it` that grades a server; without testssl it skips with the reason, or fails with it in CI. */
export function itGradesTls(name: string, body: () => Promise<void>): void {
  if (!hasTestssl && process.env.CI) it(name, () => expect.fail(noTestssl));
  else it.skipIf(!hasTestssl)(`${name}${hasTestssl ? '' : ` (skipped: ${noTestssl})`}`, body, 180_000);
}

/**
 * Runs testssl against 127.0.0.1:`port` as `localhost`, trusting the development CA, and returns its findings. The
 * checks are a full grade's but for the certificate and the browser simulations, to fit the suite's time (15-30 s a
 * server): -p protocols, -E each cipher per protocol, -U the vulnerabilities, and -h the HTTP headers over HTTPS.
 */
export async function gradeTls(port: number, ca: string, { https }: { https: boolean }): Promise<Finding[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'testssl-'));
  const json = path.join(dir, 'findings.json');
  try {
    const checks = ['-p', '-E', '-U', ...(https ? ['-h'] : [])];
    const options = ['--quiet', '--color', '0', '--warnings', 'off', '--add-ca', ca, '--ip', '127.0.0.1'];
    const run = await execa('testssl', [...options, ...checks, '--jsonfile', json, `localhost:${port}`], {
      reject: false,
      timeout: 170_000,
    });
    const findings = JSON.parse(readFileSync(json, 'utf8')) as Finding[];
    if (findings.length === 0) throw new Error(`testssl found nothing to say (exit ${run.exitCode}):\n${run.stdout}`);
    return findings;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What a grade must not contain: any finding testssl calls NOT ok or VULNERABLE, or MEDIUM and worse, and CBC. */
export function problemsIn(findings: Finding[], expected: Record<string, string> = {}): string[] {
  return findings
    .filter(
      ({ id, severity, finding }) =>
        // "VULNERABLE", "potentially vulnerable" (LUCKY13 with CBC suites), "NOT ok"; but not "not vulnerable".
        /NOT ok/.test(finding) ||
        (/vulnerable/i.test(finding) && !/not vulnerable/i.test(finding)) ||
        (['MEDIUM', 'HIGH', 'CRITICAL'].includes(severity) && !(id in expected)) ||
        (id.startsWith('cipher') && /_CBC_/.test(finding)),
    )
    .map(({ id, severity, finding }) => `${id} (${severity}): ${finding}`);
}

/** The cipher suites testssl found offered, by their IANA names. */
export const suitesIn = (findings: Finding[]) =>
  findings.filter(({ id }) => /^cipher-tls/.test(id)).map(({ finding }) => finding.split(/\s+/).at(-1) ?? '');

/** The suites of Mozilla's intermediate profile (tls-profile.ts) that a server with an ECDSA certificate offers. */
const intermediateSuites = [
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
];

/** The grade of a server on Mozilla's intermediate profile: only TLS 1.2 and 1.3, only its suites, no renegotiation. */
export function expectIntermediateProfile(findings: Finding[], expected: Record<string, string> = {}): void {
  expect(problemsIn(findings, expected)).toEqual([]);
  const said = (id: string) => findings.find((finding) => finding.id === id)?.finding;
  expect(['SSLv2', 'SSLv3', 'TLS1', 'TLS1_1', 'TLS1_2', 'TLS1_3'].map(said)).toEqual([
    'not offered',
    'not offered',
    'not offered',
    'not offered',
    'offered',
    'offered with final',
  ]);
  expect(suitesIn(findings).sort()).toEqual(intermediateSuites);
  expect(said('secure_client_renego')).toBe('not vulnerable');
}
