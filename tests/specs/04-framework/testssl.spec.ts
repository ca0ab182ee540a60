/**
 * app over HTTPS and over HTTP/2 graded by testssl.sh: Mozilla's intermediate profile (tls-profile.ts) and the
 * headers of https-headers.ts leave it nothing to flag but the short HSTS max-age a development certificate wants.
 */
import { startServer } from '@netprog/shared/program';
import { programFile } from '@netprog/shared/programs';
import { expect } from 'vitest';
import { useCerts } from '../../support/certs.ts';
import { expectCleanStop } from '../../support/checks.ts';
import { expectIntermediateProfile, type Finding, gradeTls, itGradesTls } from '../../support/testssl.ts';

const certs = useCerts('04-framework');
// testssl wants HSTS for half a year; a development certificate may be gone next week (https-headers.ts).
const shortHsts = { HSTS_time: 'a development certificate: five minutes' };

function expectApiHeaders(findings: Finding[]): void {
  const said = (id: string) => findings.find((finding) => finding.id === id)?.finding;
  expect(said('HSTS_time')).toMatch(/\(=300 seconds\)/);
  expect(said('X-Content-Type-Options')).toBe('nosniff');
  expect(said('Content-Security-Policy')).toBe("default-src 'none'; frame-ancestors 'none'");
  expect(said('Cache-Control')).toBe('no-store');
}

itGradesTls('app over HTTPS, and over HTTP/2, passes with HSTS and nosniff on every answer', async () => {
  const tlsArgs = ['--key', certs.file('server.key'), '--cert', certs.file('server.crt')];
  const app = programFile('04-framework', 'app');
  const servers = await Promise.all([
    startServer(app, { args: tlsArgs }),
    startServer(app, { args: [...tlsArgs, '--http2'] }),
  ]);
  const grades = await Promise.all(
    servers.map((server) => gradeTls(server.port, certs.file('ca.crt'), { https: true })),
  );
  for (const findings of grades) {
    expectIntermediateProfile(findings, shortHsts);
    expectApiHeaders(findings);
  }
  for (const server of servers) await expectCleanStop(server);
});
