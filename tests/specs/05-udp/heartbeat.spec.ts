import { spawnProgram, startServer } from '@netprog/shared/program';
import { programFile } from '@netprog/shared/programs';
import { udpBurst } from '@netprog/shared/udp';
import { expect, it } from 'vitest';
import { expectCleanStop } from '../../support/checks.ts';

const monitorFile = programFile('05-udp', 'heartbeat-monitor');
const agentFile = programFile('05-udp', 'heartbeat-agent');

it('reports an agent up, down once it is killed, up again on return; garbage is counted, not fatal', async () => {
  const monitor = await startServer(monitorFile, { args: ['--interval', '200', '--missed', '3'] });
  const agentArgs = ['--name', 'web-1', '--port', String(monitor.port), '--interval', '200'];

  const agent = spawnProgram(agentFile, { args: agentArgs });
  await monitor.waitForLine(/^up web-1 \(127\.0\.0\.1:\d+\)$/);
  agent.kill();
  const killedAt = Date.now();
  await agent.exited;
  const downAt = await monitor.waitForLine(/^down web-1 \(no heartbeat for 600 ms\)$/, { timeoutMs: 5000 });
  // Down after 3 missed intervals (600 ms), give or take the last beat and the check's period.
  expect(Date.now() - killedAt).toBeGreaterThanOrEqual(350);
  expect(Date.now() - killedAt).toBeLessThan(2500);

  await udpBurst(monitor.port, [
    Buffer.from('HEARTBEAT'),
    Buffer.from('hello'),
    Buffer.alloc(0),
    Buffer.alloc(2000, 1),
  ]);
  const back = spawnProgram(agentFile, { args: agentArgs });
  await monitor.waitForLine(/^up web-1 /, { from: downAt + 1 });
  back.signal('SIGTERM');
  expect((await back.exited).stdout).toMatch(/^stopped after \d+ heartbeats$/m);

  const result = await monitor.stop();
  expect(result.exitCode).toBe(0);
  expect(result.stdout).toMatch(/ignored 4 datagram\(s\)\n/);
  expect(result.stdout).toMatch(/^ignored 0 bytes from 127\.0\.0\.1:\d+ \(not a heartbeat\)$/m);
});

it('the agent keeps beating while no monitor listens, and is heard once one starts', async () => {
  const probe = await startServer(monitorFile, { args: ['--interval', '100'] });
  const port = probe.port;
  await expectCleanStop(probe);
  const agent = spawnProgram(agentFile, {
    args: ['--name', 'patient', '--port', String(port), '--interval', '100'],
  });
  await agent.waitForLine(/^patient sending a heartbeat/);
  const monitor = await startServer(monitorFile, { args: ['--port', String(port), '--interval', '100'] });
  await monitor.waitForLine(/^up patient /);
  agent.signal('SIGTERM');
  await agent.exited;
  await expectCleanStop(monitor);
});
