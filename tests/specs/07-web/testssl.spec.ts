/**
 * The board graded by testssl.sh: Mozilla's intermediate profile (tls-profile.ts) and the board's own security
 * headers leave it nothing to flag but the short HSTS max-age a development certificate wants.
 */
import { expect } from 'vitest';
import { describeBoard, useBoard } from '../../support/board.ts';
import { expectCleanStop } from '../../support/checks.ts';
import { expectIntermediateProfile, gradeTls, itGradesTls } from '../../support/testssl.ts';

describeBoard('the board graded by testssl', () => {
  const board = useBoard();

  itGradesTls('offers TLS 1.2 and 1.3 with AEAD suites only, refuses renegotiation, and sends HSTS', async () => {
    const { server } = await board.start();
    const findings = await gradeTls(server.port, board.certs.file('ca.crt'), { https: true });
    // testssl wants HSTS for half a year; a development certificate may be gone next week (board-app.ts).
    expectIntermediateProfile(findings, { HSTS_time: 'a development certificate: an hour' });
    expect(findings.find((finding) => finding.id === 'HSTS_time')?.finding).toMatch(/\(=3600 seconds\)/);
    await expectCleanStop(server);
  });
});
