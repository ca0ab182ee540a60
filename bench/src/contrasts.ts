/**
 * The lessons' contrasts, measured: offloading CPU work (02-threads), one worker process or two
 * (02-threads), sequential or concurrent requests (03-async), plain TCP or TLS (01-socket), and one
 * slowdown in Node that 04-framework/app works around. Each yields two figures and their ratio.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { httpGet } from '@netprog/shared/http';
import { runProgram, startServer } from '@netprog/shared/program';
import { programFile } from '@netprog/shared/programs';
import { httpLoad } from './http-load.ts';
import { median } from './median.ts';
import { measureTlsCost } from './tls-cost.ts';

export interface Contrast {
  name: string;
  unit: string;
  first: { label: string; value: number };
  second: { label: string; value: number };
  /** first ÷ second: how many times larger the first figure is. */
  ratio: number;
}

/** How long each CPU job of the offload contrast runs; the row's label is made from it. */
const cpuJobMs = 20;

async function pingP99UnderCpuLoad(args: string[], durationMs: number): Promise<number> {
  const server = await startServer(programFile('02-threads', 'offload-server'), {
    args: ['--threads', '2', ...args],
  });
  try {
    // Two clients keep the server busy with CPU jobs while /ping is measured.
    let busy = true;
    const cpuLoad = Array.from({ length: 2 }, async () => {
      while (busy) await httpGet(server.port, `/cpu?ms=${cpuJobMs}`, { timeoutMs: 30_000 });
    });
    const result = await httpLoad({ port: server.port, path: '/ping', connections: 5, durationMs });
    busy = false;
    await Promise.all(cpuLoad);
    return result.p99Ms;
  } finally {
    await server.stop();
  }
}

async function clusterRate(workers: number, durationMs: number): Promise<number> {
  const server = await startServer(programFile('02-threads', 'cluster-server'), {
    args: ['--workers', String(workers)],
  });
  try {
    return (await httpLoad({ port: server.port, path: '/', connections: 50, durationMs })).requestsPerSecond;
  } finally {
    await server.stop();
  }
}

async function sequentialVersusConcurrent(): Promise<{ sequential: number; concurrent: number }> {
  const server = await startServer(programFile('03-async', 'async-echo-server'), { args: ['--delay', '50'] });
  try {
    const result = await runProgram(programFile('03-async', 'concurrent-client'), {
      args: ['--port', String(server.port), '--requests', '20', '--limit', '5'],
    });
    const time = (way: string) => Number(new RegExp(`^${way}: .* in (\\d+) ms$`, 'm').exec(result.stdout)?.[1]);
    return { sequential: time('sequential'), concurrent: time('all at once') };
  } finally {
    await server.stop();
  }
}

/** Nanoseconds per process.nextTick() after full GCs with no tick pending ('plain') or with one kept ('keep'). */
async function nextTickAfterGc(mode: 'plain' | 'keep'): Promise<number> {
  const script = fileURLToPath(new URL('./next-tick-after-gc.mjs', import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', script, mode], { timeout: 60_000 });
  return Number(/([\d.]+) ns per nextTick/.exec(stdout)?.[1]);
}

export async function measureContrasts(durationMs: number, runs: number): Promise<Contrast[]> {
  const repeat = async (measure: () => Promise<number>) => {
    const values: number[] = [];
    for (let run = 0; run < runs; run++) values.push(await measure());
    return median(values);
  };
  const inline = await repeat(() => pingP99UnderCpuLoad(['--inline'], durationMs));
  const pooled = await repeat(() => pingP99UnderCpuLoad([], durationMs));
  const two = await repeat(() => clusterRate(2, durationMs));
  const one = await repeat(() => clusterRate(1, durationMs));
  const times = await sequentialVersusConcurrent();
  const tlsCost = await measureTlsCost(durationMs);
  const tickAfterGc = await repeat(() => nextTickAfterGc('plain'));
  const tickKept = await repeat(() => nextTickAfterGc('keep'));
  return [
    {
      name: `offload-server: /ping p99 while ${cpuJobMs} ms CPU jobs run`,
      unit: 'ms',
      first: { label: '--inline', value: inline },
      second: { label: 'worker pool', value: pooled },
      ratio: inline / Math.max(pooled, 0.001),
    },
    {
      name: 'cluster-server: GET / at 50 connections',
      unit: 'req/s',
      first: { label: '2 workers', value: two },
      second: { label: '1 worker', value: one },
      ratio: two / Math.max(one, 0.001),
    },
    {
      name: 'concurrent-client: 20 requests to a server answering after 50 ms',
      unit: 'ms',
      first: { label: 'sequential', value: times.sequential },
      second: { label: 'all at once', value: times.concurrent },
      ratio: times.sequential / Math.max(times.concurrent, 0.001),
    },
    {
      name: '01-socket echo at 50 connections, 4 KiB: plain TCP vs TLS (echo-server vs tls-echo-server)',
      unit: 'req/s',
      first: { label: 'plain TCP', value: tlsCost.plainRate },
      second: { label: 'TLS 1.3', value: tlsCost.tlsRate },
      ratio: tlsCost.plainRate / Math.max(tlsCost.tlsRate, 0.001),
    },
    {
      name: `tls-echo-server: new connections per second, 4 clients (${Math.round(100 * tlsCost.resumedShare)} % resumed)`,
      unit: 'conn/s',
      first: { label: 'resumed session', value: tlsCost.resumedHandshakes },
      second: { label: 'full handshake', value: tlsCost.fullHandshakes },
      ratio: tlsCost.resumedHandshakes / Math.max(tlsCost.fullHandshakes, 0.001),
    },
    {
      // A slowdown in Node, not a lesson: 04-framework/app works around it (next-tick-cache.ts). When
      // this ratio falls to 1, Node has fixed it and the workaround can go.
      name: 'process.nextTick() after 3 full GCs with no tick pending (next-tick-after-gc.mjs)',
      unit: 'ns',
      first: { label: 'as Node runs it', value: tickAfterGc },
      second: { label: 'one tick object kept', value: tickKept },
      ratio: tickAfterGc / Math.max(tickKept, 0.001),
    },
  ];
}
