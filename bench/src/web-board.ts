/**
 * The web-board group of `npm run bench`: 07-web's board as users run it (default flags, scrypt at N=2^17), in a
 * temporary folder with its own certificates. Pages a second for the public board and for the signed-in board (a
 * session costs one indexed read), beside bare node:https serving a page of the same size, the generator's
 * ceiling; the time and server CPU of one login, and how long a wrong password and an unknown name take (the same,
 * or the time would tell which names exist); and 20 logins arriving at once, with the hashing bounded (the
 * default) and unbounded, while a reader keeps loading the board: its p99, and the board's peak RSS.
 * Needs node:sqlite (Node 22.13+): on an older Node the group says so.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runProgram, type Server, startServer } from '@netprog/shared/program';
import { programFile } from '@netprog/shared/programs';
import { csrfToken, WebClient } from '@netprog/shared/web-client';
import { httpsLoad } from './board-load.ts';
import type { LoadResult } from './load.ts';
import { median } from './median.ts';
import { sampleProcess } from './sample.ts';

const board = programFile('07-web', 'board');
const httpsHello = fileURLToPath(new URL('./subjects/https-hello.ts', import.meta.url));
const password = 'correct horse battery staple';

export interface WebBoardSize {
  durationMs: number;
  runs: number;
  connections: number;
  burst: number;
  /** Only --tiny lowers scrypt's cost, to keep the harness check short; its figures then mean nothing. */
  scryptCost?: number;
}

async function loadRuns(
  port: number,
  ca: string,
  size: WebBoardSize,
  headers?: Record<string, string>,
): Promise<LoadFigures> {
  const options = { port, path: '/', ca, headers, connections: size.connections };
  await httpsLoad({ ...options, durationMs: Math.min(300, size.durationMs) });
  const results: LoadResult[] = [];
  for (let run = 0; run < size.runs; run++) results.push(await httpsLoad({ ...options, durationMs: size.durationMs }));
  const best = (pick: (result: LoadResult) => number) => median(results.map(pick));
  return {
    pagesPerSecond: best((r) => r.requestsPerSecond),
    p50Ms: best((r) => r.p50Ms),
    p99Ms: best((r) => r.p99Ms),
    errors: results.reduce((sum, r) => sum + r.errors, 0),
  };
}

/** A fresh visitor with the login form open (its session and token), ready to post it. */
async function atLoginForm(server: Server, ca: Buffer, name = 'alice', typed = password) {
  const client = new WebClient(server.port, { ca, servername: 'localhost' });
  const token = csrfToken((await client.get('/login')).body);
  return () => client.post('/login', { csrf: token, name, password: typed });
}

/** The median time of `attempts` logins that fail, by a wrong password or an unknown name: no oracle, no gap. */
async function failedLoginMs(server: Server, ca: Buffer, attempts: number, name: string) {
  const times: number[] = [];
  for (let attempt = 0; attempt < attempts; attempt++) {
    const login = await atLoginForm(server, ca, name, 'not the password of anyone');
    const begun = performance.now();
    const reply = await login();
    if (reply.status !== 422) throw new Error(`a wrong login got ${reply.status}`);
    times.push(performance.now() - begun);
  }
  return median(times);
}

/** Starts a board on a new database (board.db in `directory`, as by default) and registers alice. */
async function startBoard(directory: string, args: string[], size: WebBoardSize, ca: Buffer) {
  for (const suffix of ['', '-wal', '-shm']) rmSync(path.join(directory, `board.db${suffix}`), { force: true });
  const cost = size.scryptCost ? ['--scrypt-cost', String(size.scryptCost)] : [];
  const server = await startServer(board, { cwd: directory, args: [...args, ...cost] });
  const alice = new WebClient(server.port, { ca, servername: 'localhost' });
  const registered = await alice.submit('/register', '/register', { name: 'alice', password });
  if (registered.status !== 303) throw new Error(`could not register: ${registered.status}`);
  return { server, alice };
}

/** 20 logins at once (fewer in --tiny) while one reader loads the board page after page. */
async function burst(directory: string, args: string[], size: WebBoardSize, ca: Buffer) {
  const { server } = await startBoard(directory, args, size, ca);
  try {
    const logins = await Promise.all(Array.from({ length: size.burst }, () => atLoginForm(server, ca)));
    const reader = new WebClient(server.port, { ca, servername: 'localhost' });
    const readerLatencies: number[] = [];
    const stopSampling = sampleProcess(server.pid);
    const started = performance.now();
    let done = false;
    const reading = (async () => {
      while (!done) {
        const begun = performance.now();
        await reader.get('/');
        readerLatencies.push(performance.now() - begun);
      }
    })();
    const replies = await Promise.all(logins.map((login) => login()));
    const allAnsweredMs = performance.now() - started;
    done = true;
    await reading;
    const { peakRssBytes } = stopSampling();
    const sorted = readerLatencies.sort((a, b) => a - b);
    return {
      setup: args.length ? `unbounded (${args.join(' ')})` : 'bounded (default flags)',
      signedIn: replies.filter((reply) => reply.status === 303).length,
      busy: replies.filter((reply) => reply.status === 503).length,
      allAnsweredMs,
      readerPages: sorted.length,
      readerP99Ms: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? 0,
      readerMaxMs: sorted.at(-1) ?? 0,
      peakRssMiB: peakRssBytes / 2 ** 20,
    };
  } finally {
    await server.stop({ deadlineMs: 30_000 });
  }
}

interface LoadFigures {
  pagesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}
type Burst = Awaited<ReturnType<typeof burst>>;
export interface WebBoardResult {
  size: WebBoardSize;
  ceiling: LoadFigures;
  publicBoard: LoadFigures;
  signedInBoard: LoadFigures;
  loginMs: number;
  loginCpuMs: number;
  wrongPasswordMs: number;
  unknownNameMs: number;
  bursts: Burst[];
}

export async function webBoard(size: WebBoardSize): Promise<{ result: WebBoardResult; markdown: string }> {
  const directory = mkdtempSync(path.join(tmpdir(), 'bench-board-'));
  try {
    await runProgram(programFile('07-web', 'make-certs'), { cwd: directory });
    const caPem = readFileSync(path.join(directory, 'certs', 'ca.crt'), 'utf8');
    const ca = Buffer.from(caPem);
    const certs = ['--cert', 'certs/server.crt', '--key', 'certs/server.key'];
    const hello = await startServer(httpsHello, { cwd: directory, args: certs });
    const ceiling = await loadRuns(hello.port, caPem, size).finally(() => hello.stop());

    const { server, alice } = await startBoard(directory, [], size, ca);
    let publicBoard: LoadFigures;
    let signedInBoard: LoadFigures;
    const loginMs: number[] = [];
    let loginCpuMs = 0;
    let wrongPasswordMs = 0;
    let unknownNameMs = 0;
    try {
      // A full page: 20 posts.
      for (let n = 1; n <= 20; n++)
        await alice.post('/posts', {
          csrf: csrfToken((await alice.get('/')).body),
          body: `post number ${n}: ${'words '.repeat(30)}`,
        });
      const cookie = [...alice.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
      publicBoard = await loadRuns(server.port, caPem, size);
      signedInBoard = await loadRuns(server.port, caPem, size, { cookie });
      const stopSampling = sampleProcess(server.pid);
      const started = performance.now();
      const attempts = Math.max(3, size.runs);
      for (let attempt = 0; attempt < attempts; attempt++) {
        const login = await atLoginForm(server, ca);
        const begun = performance.now();
        const reply = await login();
        if (reply.status !== 303) throw new Error(`login failed: ${reply.status}`);
        loginMs.push(performance.now() - begun);
      }
      loginCpuMs = (stopSampling().cpuShare * (performance.now() - started)) / attempts;
      wrongPasswordMs = await failedLoginMs(server, ca, attempts, 'alice');
      unknownNameMs = await failedLoginMs(server, ca, attempts, 'nobody');
    } finally {
      await server.stop({ deadlineMs: 30_000 });
    }
    const bounded = await burst(directory, [], size, ca);
    const unbounded = await burst(directory, ['--hashes-at-once', '64', '--hash-queue', '1000'], size, ca);
    const result = {
      size,
      ceiling,
      publicBoard,
      signedInBoard,
      loginMs: median(loginMs),
      loginCpuMs,
      wrongPasswordMs,
      unknownNameMs,
      bursts: [bounded, unbounded],
    };
    return { result, markdown: webBoardText(result) };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

function webBoardText(r: WebBoardResult): string {
  const row = (label: string, load: LoadFigures) =>
    `| ${label} | ${Math.round(load.pagesPerSecond)} | ${load.p50Ms.toFixed(2)} | ${load.p99Ms.toFixed(2)} | ${load.errors} |`;
  const ratio = r.signedInBoard.pagesPerSecond / r.publicBoard.pagesPerSecond;
  return [
    '',
    '## web board (07-web)',
    '',
    r.size.scryptCost
      ? `(--tiny: scrypt at N=2^${r.size.scryptCost}, not the shipped 2^17, so the login figures say nothing.)\n`
      : '',
    `GET / over HTTPS (keep-alive, verified by the CA), ${r.size.connections} connections, the page of 20 posts:`,
    '',
    '| setup | pages/s | p50 ms | p99 ms | errors |',
    '|---|---:|---:|---:|---:|',
    row('generator ceiling: bare node:https, a page of the same size', r.ceiling),
    row('board, public page', r.publicBoard),
    row(`board, signed in (${(ratio * 100).toFixed(0)} % of public)`, r.signedInBoard),
    '',
    `Target: the signed-in page at 70 % of the public one or more (a session is one indexed read): ${ratio >= 0.7 ? 'met' : 'missed'}.`,
    '',
    `One login at scrypt N=2^${r.size.scryptCost ?? 17}: ${r.loginMs.toFixed(0)} ms (median), ${r.loginCpuMs.toFixed(0)} ms of the board's CPU. A wrong password is answered in ${r.wrongPasswordMs.toFixed(0)} ms, an unknown name in ${r.unknownNameMs.toFixed(0)} ms (medians).`,
    '',
    `${r.size.burst} logins at once while one reader loads the board page after page:`,
    '',
    '| hashing | signed in | 503 | all answered in | reader pages | reader p99 ms | reader max ms | peak RSS MiB |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...r.bursts.map(
      (b) =>
        `| ${b.setup} | ${b.signedIn} | ${b.busy} | ${(b.allAnsweredMs / 1000).toFixed(1)} s | ${b.readerPages} | ${b.readerP99Ms.toFixed(1)} | ${b.readerMaxMs.toFixed(1)} | ${b.peakRssMiB.toFixed(0)} |`,
    ),
  ].join('\n');
}
