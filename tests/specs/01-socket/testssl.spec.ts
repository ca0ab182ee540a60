/** tls-echo-server graded by testssl.sh: Mozilla's intermediate profile (tls-profile.ts) leaves it nothing to flag. */
import { startServer } from '@netprog/shared/program';
import { programFile } from '@netprog/shared/programs';
import { useCerts } from '../../support/certs.ts';
import { expectCleanStop } from '../../support/checks.ts';
import { expectIntermediateProfile, gradeTls, itGradesTls } from '../../support/testssl.ts';

const certs = useCerts('01-socket');

itGradesTls('tls-echo-server offers TLS 1.2 and 1.3 with AEAD suites only, and refuses renegotiation', async () => {
  const server = await startServer(programFile('01-socket', 'tls-echo-server'), { cwd: certs.dir });
  expectIntermediateProfile(await gradeTls(server.port, certs.file('ca.crt'), { https: false }));
  await expectCleanStop(server);
});
