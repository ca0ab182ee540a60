import { randomBytes, randomInt } from 'node:crypto';
import { runProgram, type Server, startServer } from '@netprog/shared/program';
import { programFile } from '@netprog/shared/programs';
import { udpBurst, udpExchange } from '@netprog/shared/udp';
import { execa } from 'execa';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { expectCleanStop } from '../../support/checks.ts';
import { hasPython } from '../../support/tools.ts';

const udpServer = programFile('05-udp', 'udp-server');
let server: Server;
beforeEach(async () => {
  server = await startServer(udpServer, { args: ['--quiet'] });
});
afterEach(async () => {
  await expectCleanStop(server);
});

// Tutorials 001 §1.4 Q3–Q4 and 003 §2.1: sendto, then recvfrom.
it.runIf(hasPython)("answers the tutorials' sendto/recvfrom client (skipped without python3)", async () => {
  const tutorialClient = `
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(2)
s.sendto(b'Hello, UDP', ('127.0.0.1', ${server.port}))
data, address = s.recvfrom(1024)
print(data.decode(), address[1] == ${server.port})
s.close()`;
  const result = await execa('python3', ['-c', tutorialClient], { timeout: 10_000 });
  expect(result.stdout).toBe('Hello, UDP True');
});

it('keeps datagram boundaries from 0 to 65,507 bytes, and 200 random sizes come back exact', async () => {
  const sizes = [0, 1, 2, 100, 1200, 1472, 9000, 65_507, ...Array.from({ length: 200 }, () => randomInt(0, 65_508))];
  for (const size of sizes) {
    const payload = randomBytes(size);
    const answer = await udpExchange(server.port, payload);
    expect(answer.length).toBe(size);
    expect(answer.equals(payload)).toBe(true);
  }
});

it('logs the first datagram of each sender and then a summary, every datagram only with --verbose', async () => {
  const logging = await startServer(udpServer, { args: ['--summary-interval', '100'] });
  await udpBurst(
    logging.port,
    Array.from({ length: 50 }, () => Buffer.from('twelve bytes')),
  );
  await udpExchange(logging.port, 'from another sender');
  const last = await logging.waitForLine(/^from 127\.0\.0\.1:\d+: 19 bytes \(first datagram from this sender\)$/);
  // The summary after the last datagram: by then every datagram is in some summary.
  await logging.waitForLine(/^last 100 ms: \d+ datagrams, \d+ bytes$/, { from: last });
  await expectCleanStop(logging);
  const lines = logging.stdoutLines;
  expect(lines.filter((line) => line.startsWith('from '))).toHaveLength(2);
  const summed = lines
    .map((line) => /^last 100 ms: (\d+) datagrams/.exec(line)?.[1])
    .reduce((sum, count) => sum + Number(count ?? 0), 0);
  const received = Number(/^received (\d+) datagrams/m.exec(logging.stdout)?.[1]);
  expect(summed).toBe(received);
  expect(received).toBeGreaterThan(1);

  const verbose = await startServer(udpServer, { args: ['--verbose'] });
  await udpBurst(
    verbose.port,
    Array.from({ length: 3 }, () => Buffer.from('twelve bytes')),
  );
  await verbose.waitFor('3 datagram lines', () =>
    verbose.stdoutLines.filter((line) => /^from 127\.0\.0\.1:\d+: 12 bytes$/.test(line)).length === 3
      ? true
      : undefined,
  );
  await expectCleanStop(verbose);
});

it('survives a burst of 10,000 datagrams and garbage, reports what it received, and serves on', async () => {
  const burst = Array.from({ length: 10_000 }, (_, i) => Buffer.from(`burst ${i}`));
  await udpBurst(server.port, [...burst, Buffer.alloc(0), randomBytes(3000)]);
  // A datagram sent while the server's receive buffer is still full is dropped, so the check
  // uses what a UDP client must use anyway: udp-client, with its retries.
  const after = await runProgram(programFile('05-udp', 'udp-client'), {
    args: ['--port', String(server.port), '--attempts', '6', 'after the burst'],
  });
  expect(after.stdout).toMatch(/^1: after the burst$/m);
  const result = await server.stop();
  expect(result.exitCode).toBe(0);
  const received = Number(/^received (\d+) datagrams/m.exec(result.stdout)?.[1]);
  expect(received).toBeGreaterThan(0);
  expect(received).toBeLessThanOrEqual(10_003);
});
