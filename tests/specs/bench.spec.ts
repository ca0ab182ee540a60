/**
 * The benchmark harness works end to end on a tiny load: it starts the servers, loads them,
 * prints the tables and writes the JSON. No timing is asserted here; figures belong to the bench.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runProgram } from '@netprog/shared/program';
import { nodeNeededBy } from '@netprog/shared/programs';
import { expect, it } from 'vitest';
import { hasHaproxy, hasRedis, hasWrk } from '../support/tools.ts';

const bench = fileURLToPath(new URL('../../bench/src/main.ts', import.meta.url));

it('npm run bench -- --tiny prints a table per group and writes the JSON', async () => {
  const out = mkdtempSync(path.join(tmpdir(), 'bench-'));
  try {
    const result = await runProgram(bench, { args: ['--tiny', '--out', out], timeoutMs: 170_000 });
    // What it printed on stderr says why, should it fail.
    expect(result.exitCode, result.stderr).toBe(0);
    const groups = ['TCP echo', 'UDP echo', 'HTTP GET /', 'game-server capacity', 'chat-web capacity'];
    // The room across nodes needs redis-server and HAProxy, which CI installs.
    if (hasRedis && hasHaproxy) groups.push('chat across nodes');
    // 07-web's board needs node:sqlite (Node 22.13+), which CI's other Node versions have.
    const boardRuns = nodeNeededBy('07-web') === undefined;
    if (boardRuns) groups.push('web board (07-web)');
    for (const group of groups) {
      expect(result.stdout).toContain(`## ${group}`);
    }
    expect(result.stdout).toMatch(/^\| 01-socket\/echo-server \| 2 \| 64 \| \d+ \|/m);
    // Two simulated players at 20 Hz for 1 s: the row counts the snapshots a 20 Hz server sends them.
    expect(result.stdout).toMatch(/^\| 2 \| [\d.]+ % \| [-\d.]+ % \| [\d.]+ % \| \d+ of 40 \| \d+ \| [\d.]+ ms \|$/m);
    expect(result.stdout).toMatch(
      /^20 WebSocket users in the room: chat-web \+ chat-server RSS [\d.]+ → [\d.]+ MiB,$/m,
    );
    const [file] = readdirSync(out);
    const report = JSON.parse(readFileSync(path.join(out, file ?? ''), 'utf8'));
    expect(report.mode).toBe('tiny');
    expect(report.rows.length).toBeGreaterThanOrEqual(6);
    for (const row of report.rows) {
      expect(row.samples[0].requestsPerSecond).toBeGreaterThan(0);
      expect(row.samples[0].peakRssBytes).toBeGreaterThan(0);
    }
    // With wrk on two cores or more, each HTTP server runs on CPU 0 and wrk on CPU 1; nothing else is pinned.
    const httpRows = report.rows.filter((row: { group: string }) => row.group === 'HTTP GET /');
    if (process.env.CI) expect(hasWrk, 'no wrk: CI installs it (apt install wrk)').toBe(true);
    if (hasWrk && availableParallelism() >= 2) {
      expect(result.stdout).toContain('HTTP: each server pinned to CPU 0, wrk to CPU 1 (taskset)');
      expect(httpRows.map((row: { cpus: string }) => row.cpus)).toEqual(httpRows.map(() => '0'));
      // The HTTP targets come from pairs loaded at once on that core, bare node:http beside itself the last.
      const pairs = report.pairs.map((pair: { subject: { name: string }; against: { name: string } }) =>
        [pair.subject.name, pair.against.name].join(' vs '),
      );
      expect(pairs).toEqual([
        '04-framework/raw-server vs bare node:http',
        '04-framework/app (Fastify) vs bare node:http',
        '04-framework/app (Fastify) vs bare Fastify hello',
        'bare node:http vs bare node:http',
      ]);
      for (const pair of report.pairs) expect(pair.median).toBeGreaterThan(0);
      expect(result.stdout).toMatch(
        /^\| 04-framework\/raw-server, paired on one core: at least 92 % of bare node:http \| \d+ % \| (yes|no) \|$/m,
      );
    }
    for (const row of report.rows.filter((row: { pinned?: boolean }) => !row.pinned)) {
      expect(row.cpus).not.toBe('0');
    }
    expect(report.gameCapacity.map((row: { players: number }) => row.players)).toEqual([0, 2]);
    expect(report.chatWebCapacity.users).toBe(20);
    if (hasRedis && hasHaproxy) {
      // Six members, 200 lines a second for 1 s: each line reaches the five others, in each of four setups (the bare relay first).
      expect(report.chatNodes.rows.map((row: { deliveries: number }) => row.deliveries)).toEqual([
        1000, 1000, 1000, 1000,
      ]);
      expect(report.chatNodes.catchUpMs).toBeGreaterThan(0);
    }
    if (boardRuns) {
      // Three logins at once: with the default bound (one hashing and 16 waiting) all are signed in.
      expect(report.webBoard.bursts.map((burst: { signedIn: number }) => burst.signedIn)).toEqual([3, 3]);
      expect(report.webBoard.publicBoard.pagesPerSecond).toBeGreaterThan(0);
      expect(report.webBoard.signedInBoard.errors).toBe(0);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}, 180_000); // every group at its smallest, about 50 s here; room for a loaded machine

it('npm run bench -- --group with an unknown name says which names there are', async () => {
  const result = await runProgram(bench, { args: ['--tiny', '--group', 'nope'], timeoutMs: 60_000 });
  expect(result.exitCode).toBe(2);
  expect(result.stderr).toBe(
    "error: --group takes one of tcp-echo, udp-echo, http-get, contrasts, game-capacity, chat-web-capacity, chat-nodes, web-board; got 'nope'\n",
  );
});

it('npm run bench -- --soak --only raw-server --heap soaks one server and compares two heap snapshots', async () => {
  const scratchDirs = () => readdirSync(tmpdir()).filter((name) => name.startsWith('soak-'));
  const before = scratchDirs();
  const result = await runProgram(bench, {
    args: ['--soak', '0.15', '--only', 'raw-server', '--heap'],
    timeoutMs: 120_000,
  });
  expect(result.stderr).toBe('soaking 1 servers for 0.15 min…\n');
  expect(result.exitCode).toBe(0);
  // One row in each table, for raw-server only: its RSS and descriptors, then its live heap at the two snapshots.
  expect(result.stdout.match(/^\| [a-z-]+ \| \d+ \| \d+ \|/gm)).toEqual([
    expect.stringMatching(/^\| raw-server \| [1-9]/),
  ]);
  expect(result.stdout).toMatch(/^\| raw-server \| \d+\.\d \| \d+\.\d \| [-+]\d+\.\d\d \| [^|]* \| ok \|$/m);
  // The snapshots (and file-server's uploads) went to a scratch folder, removed at the end.
  expect(scratchDirs().filter((name) => !before.includes(name))).toEqual([]);
}, 150_000);

it('npm run bench -- --soak --only with an unknown name says which servers there are', async () => {
  const result = await runProgram(bench, { args: ['--soak', '1', '--only', 'nope'], timeoutMs: 60_000 });
  expect(result.exitCode).toBe(2);
  expect(result.stderr).toMatch(/^error: --only takes one of hello-server, echo-server, .*game-server; got 'nope'\n$/);
  expect(result.stdout).toBe('');
});
