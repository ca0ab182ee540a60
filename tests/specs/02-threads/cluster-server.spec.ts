import { httpGet } from '@netprog/shared/http';
import { startServer } from '@netprog/shared/program';
import { programFile } from '@netprog/shared/programs';
import { expect, it } from 'vitest';
import { expectCleanStop } from '../../support/checks.ts';

const clusterServer = programFile('02-threads', 'cluster-server');

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function pidsOf(port: number, requests: number): Promise<number[]> {
  const pids = [];
  for (let request = 0; request < requests; request++) {
    const reply = await httpGet(port, '/');
    expect(reply.status).toBe(200);
    pids.push(JSON.parse(reply.body).pid as number);
  }
  return pids;
}

it('spreads requests over its workers, replaces a killed one, and stops them all on SIGTERM', async () => {
  const server = await startServer(clusterServer, { args: ['--workers', '2'] });
  expect(server.stdout).toMatch(/^2 workers ready$/m);
  const before = new Set(await pidsOf(server.port, 60));
  expect(before.size).toBeGreaterThanOrEqual(2);

  const [victim] = before;
  process.kill(victim as number, 'SIGKILL');
  await server.waitForLine(new RegExp(`^worker ${victim} died \\(SIGKILL\\); replacing it in 100 ms$`));
  const after = await pidsOf(server.port, 40);
  expect(after).not.toContain(victim);
  await server.waitForLine(/^worker \d+ replaced it$/);

  // "stopped" promises that every worker has exited: when it appears, none of them is alive.
  const stopped = expectCleanStop(server);
  await server.waitForLine(/^stopped$/);
  expect([...new Set(after)].filter(isAlive)).toEqual([]);
  await stopped;
  expect(server.stdout).toMatch(/SIGTERM: stopping 2 worker\(s\)\nstopped\n$/);
  expect((await server.exited).groupLeftAlive).toBe(false);
});
