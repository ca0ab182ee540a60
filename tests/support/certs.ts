/**
 * Certificates for the specs, made the way a learner makes them: by the area's own make-certs, in
 * a temporary directory of the spec file's own, once per file. `tlsProbe` is how a probe verifies
 * the server: by that CA and the name localhost.
 */
import { webcrypto } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runProgram } from '@netprog/shared/program';
import { programFile } from '@netprog/shared/programs';
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
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

/**
 * Writes `<name>.crt` and `<name>.key` into `dir`: a certificate for 127.0.0.1 that expired yesterday, signed by the
 * CA that make-certs left in `dir`/certs, so that only its dates are wrong.
 */
export async function writeExpiredCertificate(dir: string, name: string): Promise<void> {
  x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const pkcs8 = x509.PemConverter.decodeFirst(readFileSync(path.join(dir, 'certs/ca.key'), 'utf8'));
  const caKey = await webcrypto.subtle.importKey('pkcs8', pkcs8, algorithm, false, ['sign']);
  const ca = new x509.X509Certificate(readFileSync(path.join(dir, 'certs/ca.crt'), 'utf8'));
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const expired = await x509.X509CertificateGenerator.create({
    subject: 'CN=localhost',
    issuer: ca.subject,
    publicKey: keys.publicKey,
    signingKey: caKey,
    notBefore: new Date(Date.now() - 3 * 86_400_000),
    notAfter: new Date(Date.now() - 86_400_000),
    signingAlgorithm: algorithm,
    extensions: [new x509.SubjectAlternativeNameExtension([{ type: 'ip', value: '127.0.0.1' }])],
  });
  writeFileSync(path.join(dir, `${name}.crt`), expired.toString('pem'));
  const key = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  writeFileSync(path.join(dir, `${name}.key`), x509.PemConverter.encode(key, x509.PemConverter.PrivateKeyTag));
}
