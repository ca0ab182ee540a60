/**
 * The suite proves it can fail: the same checks the specs apply to the examples must reject
 * small servers broken on purpose (tests/fixtures). A check that passed these would be worthless.
 */
import { fileURLToPath } from 'node:url';
import { startServer } from '@netprog/shared/program';
import { expect, it } from 'vitest';
import { expectCleanStop, expectEcho, expectSurvivesResets } from '../support/checks.ts';
import { expectSurvivesHostileClients } from '../support/hostile.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}.ts`, import.meta.url));

it('rejects a server that echoes the wrong bytes', async () => {
  const server = await startServer(fixture('wrong-echo'));
  await expect(expectEcho(server.port, Buffer.from('Hello, World!'))).rejects.toThrow(/came back as/);
  await expectCleanStop(server);
});

it('rejects a server that never prints its readiness line, showing what it printed', async () => {
  const starting = startServer(fixture('no-readiness'), { readyTimeoutMs: 4000 });
  await expect(starting).rejects.toThrow(/no readiness line[\s\S]*server is up, somewhere[\s\S]*forgot to say where/);
});

it('rejects a server that dies when a client resets its connection', async () => {
  const server = await startServer(fixture('dies-on-reset'));
  await expect(expectSurvivesResets(server, 30)).rejects.toThrow();
  const result = await server.exited;
  expect(result.exitCode).toBe(1);
  expect(result.stderr).toMatch(/ECONNRESET/);
});

it('rejects a server that ignores SIGTERM, and kills it', async () => {
  const server = await startServer(fixture('ignores-sigterm'));
  await expect(expectCleanStop(server, 1000)).rejects.toThrow(/ignored SIGTERM for 1000 ms/);
  expect((await server.exited).killed).toBe(true);
  expect(server.isRunning()).toBe(false);
});

it('rejects a server that prints "stopped" and then prints more', async () => {
  const server = await startServer(fixture('stopped-too-soon'));
  await expect(expectCleanStop(server)).rejects.toThrow(/did not print "stopped" last: .*"one more thing"/);
});

it('rejects a server that hostile clients can crash, naming the seed', async () => {
  const server = await startServer(fixture('dies-on-reset'));
  const surviving = expectSurvivesHostileClients(server, {
    name: 'dies-on-reset',
    file: fixture('dies-on-reset'),
    transport: 'tcp',
    malformed: [],
    answers: (running) => expectEcho(running.port, Buffer.from('still there?\n')),
  });
  await expect(surviving).rejects.toThrow(/seed/);
  expect((await server.exited).exitCode).toBe(1);
});
