/**
 * Makes the certificates the TLS examples need: a development certificate authority (CA), and signed by it a server
 * certificate for localhost, 127.0.0.1 and ::1 and a client certificate (for mutual TLS). This is what a real
 * deployment gets from a CA such as Let's Encrypt; the tutorials name security as the challenge (000 §5, 003 §7).
 * Keys are ECDSA P-256, made with WebCrypto; certificates with @peculiar/x509 (Node cannot write certificates).
 * Written once here; 04-framework and 07-web have byte-for-byte copies (`npm run sync`), so each area stands on
 * its own.
 *
 * Run:    node examples/01-socket/src/make-certs.ts
 * Try:    openssl x509 -in certs/server.crt -noout -text     (the names it is valid for, its dates)
 * Expect: "wrote certs/ca.crt, certs/ca.key, <files> (valid 30 days)"; run again while they are valid, it says
 *         so and writes nothing
 * Stop:   it exits by itself: 0 when the files are there, 1 on an error
 */
import { webcrypto } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
// @peculiar/x509 wires itself with decorators that need this polyfill loaded first.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import * as cli from './cli.ts';

const flags = cli.parseFlags(
  { name: 'make-certs', about: 'Writes a development CA, a server certificate and a client certificate.' },
  {
    dir: cli.text('certs', 'the folder to write to (keep it out of git)', { value: 'DIR' }),
    days: cli.integer(30, 'how long the certificates are valid', { min: 1, max: 397 }),
    force: cli.toggle('write new files even when valid ones exist'),
  },
);
const directory = path.resolve(flags.dir);
const file = (name: string) => path.join(directory, name);
const names = ['ca.crt', 'ca.key', 'server.crt', 'server.key', 'client.crt', 'client.key'];

// Idempotent: certificates that exist and are valid for another day are kept.
async function validFor(name: string): Promise<Date | undefined> {
  try {
    const certificate = new x509.X509Certificate(await readFile(file(name), 'utf8'));
    return certificate.notAfter.getTime() - Date.now() > 86_400_000 ? certificate.notAfter : undefined;
  } catch {
    return undefined;
  }
}
const existing = await Promise.all(['ca.crt', 'server.crt', 'client.crt'].map(validFor));
if (!flags.force && existing.every((date) => date !== undefined)) {
  console.log(
    `${flags.dir}/ holds valid certificates (until ${existing[0]?.toISOString().slice(0, 10)}); --force makes new ones`,
  );
  process.exit(0);
}

// One algorithm throughout: ECDSA on P-256 with SHA-256, small keys that every TLS stack accepts.
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
const newKeys = () =>
  webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']) as Promise<webcrypto.CryptoKeyPair>;
const notBefore = new Date(Date.now() - 60_000); // a minute of slack for clocks that differ
const notAfter = new Date(Date.now() + flags.days * 86_400_000);

// The CA: it may sign certificates (basicConstraints CA:true) and nothing else.
const caKeys = await newKeys();
const ca = await x509.X509CertificateGenerator.createSelfSigned({
  name: 'CN=netprog development CA',
  keys: caKeys,
  notBefore,
  notAfter,
  signingAlgorithm: algorithm,
  extensions: [
    new x509.BasicConstraintsExtension(true, 0, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
  ],
});

// A leaf certificate signed by the CA, for one purpose: a server (with the names clients will
// check) or a client.
async function leaf(commonName: string, usage: string, alternativeNames: x509.JsonGeneralNames) {
  const keys = await newKeys();
  const certificate = await x509.X509CertificateGenerator.create({
    subject: `CN=${commonName}`,
    issuer: ca.subject,
    publicKey: keys.publicKey,
    signingKey: caKeys.privateKey,
    notBefore,
    notAfter,
    signingAlgorithm: algorithm,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([usage]),
      new x509.SubjectAlternativeNameExtension(alternativeNames),
      await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  return { certificate, keys };
}
const server = await leaf('localhost', x509.ExtendedKeyUsage.serverAuth, [
  { type: 'dns', value: 'localhost' },
  { type: 'ip', value: '127.0.0.1' },
  { type: 'ip', value: '::1' },
]);
const client = await leaf('netprog client', x509.ExtendedKeyUsage.clientAuth, [{ type: 'dns', value: 'client' }]);

// PEM files; the keys readable by their owner only.
const pemKey = async (key: webcrypto.CryptoKey) =>
  x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', key), x509.PemConverter.PrivateKeyTag);
await mkdir(directory, { recursive: true }).catch((error) => cli.fail(`cannot create ${flags.dir}: ${error.code}`));
const contents = [
  ca.toString('pem'),
  await pemKey(caKeys.privateKey),
  server.certificate.toString('pem'),
  await pemKey(server.keys.privateKey),
  client.certificate.toString('pem'),
  await pemKey(client.keys.privateKey),
];
for (const [index, name] of names.entries()) {
  await writeFile(file(name), `${contents[index]}\n`, { mode: name.endsWith('.key') ? 0o600 : 0o644 });
  if (name.endsWith('.key')) await chmod(file(name), 0o600);
}
console.log(`wrote ${names.map((name) => path.join(flags.dir, name)).join(', ')} (valid ${flags.days} days)`);
