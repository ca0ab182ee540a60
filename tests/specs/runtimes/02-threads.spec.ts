import { httpGet } from '@netprog/shared/http';
import { runProgram, startServer } from '@netprog/shared/program';
import { programFile } from '@netprog/shared/programs';
import { expect, it } from 'vitest';
import { expectCleanStop } from '../../support/checks.ts';
import { freeTcpPort } from '../../support/ports.ts';
import { differsHere, pinned } from '../../support/runtimes.ts';

const clusterServer = programFile('02-threads', 'cluster-server');

it(pinned('cluster-port-0'), async () => {
  const server = await startServer(clusterServer, { args: ['--workers', '2'] });
  const pids = new Set<number>();
  for (let request = 0; request < 20; request++) {
    pids.add(JSON.parse((await httpGet(server.port, '/')).body).pid);
  }
  expect(pids.size).toBe(differsHere('cluster-port-0') ? 1 : 2);
  // Every runtime stops its workers on SIGTERM (the worker closes its own server on disconnect).
  await expectCleanStop(server);
});

it(pinned('cluster-reuseport'), async () => {
  // A fixed port, as a user would give one.
  const port = await freeTcpPort();
  const args = ['--workers', '1'];
  const first = await startServer(clusterServer, { args, portArgs: ['--port', String(port)] });
  if (differsHere('cluster-reuseport')) {
    const second = await startServer(clusterServer, { args, portArgs: ['--port', String(port)] });
    expect(second.port).toBe(port);
    await expectCleanStop(second);
  } else {
    const second = await runProgram(clusterServer, { args: [...args, '--port', String(port)] });
    expect(second.exitCode).toBe(1);
    expect(second.stderr).toBe(`error: cannot listen on 127.0.0.1:${port}: address already in use (EADDRINUSE)\n`);
  }
  await expectCleanStop(first);
});
