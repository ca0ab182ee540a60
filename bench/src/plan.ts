/**
 * What `npm run bench` measures: each group puts the example servers beside a bare Node baseline
 * and, when python3 is present, the tutorials' own designs, under the same load in the same run.
 */
import { fileURLToPath } from 'node:url';
import { programFile } from '@netprog/shared/programs';
import { httpGenerator, httpLoad } from './http-load.ts';
import { echoLoad, type LoadResult } from './load.ts';
import { pinning } from './pin.ts';

export interface Subject {
  name: string;
  file: string;
  args?: string[];
  baseline?: boolean;
  python?: boolean;
  /** The generator's ceiling: a server that parses nothing, to show the generator is not the limit. */
  ceiling?: boolean;
}

export interface Row {
  group: string;
  subject: Subject;
  /** The load's shape, as shown in the table: connections (or datagrams in flight) and size. */
  shape: { connections: number; size?: number };
  load: (port: number, durationMs: number) => Promise<LoadResult>;
  /** The server runs on one core and the generator on another (pin.ts). */
  pinned?: boolean;
}

export type Mode = 'full' | 'quick' | 'tiny';

/** wrk needs one core, and each HTTP server gets another to itself (autocannon runs in the bench's own process). */
export const httpPinned = pinning !== undefined && httpGenerator.startsWith('wrk');

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const loadThreads = 2;

const tcpSubjects: Subject[] = [
  { name: 'bare socket.pipe echo', file: here('./subjects/pipe-echo.ts'), baseline: true },
  { name: '01-socket/echo-server', file: programFile('01-socket', 'echo-server') },
  { name: '03-async/async-echo-server', file: programFile('03-async', 'async-echo-server') },
  { name: 'Python thread per client', file: here('../python/thread_echo.py'), python: true },
  { name: 'Python asyncio', file: here('../python/asyncio_echo.py'), python: true },
];
const udpSubjects: Subject[] = [
  { name: 'bare dgram echo', file: here('./subjects/dgram-echo.ts'), baseline: true },
  { name: '05-udp/udp-server', file: programFile('05-udp', 'udp-server') },
  { name: '05-udp/udp-server --quiet', file: programFile('05-udp', 'udp-server'), args: ['--quiet'] },
  { name: 'Python recvfrom/sendto', file: here('../python/udp_echo.py'), python: true },
];
const httpSubjects: Subject[] = [
  { name: 'bare node:http', file: here('./subjects/http-hello.ts'), baseline: true },
  { name: '04-framework/raw-server', file: programFile('04-framework', 'raw-server') },
  { name: 'bare Fastify hello', file: here('./subjects/fastify-hello.ts') },
  { name: '04-framework/app (Fastify)', file: programFile('04-framework', 'app') },
  { name: `load generator ceiling (${httpGenerator})`, file: here('./subjects/http-ceiling.ts'), ceiling: true },
  { name: 'Python http.server', file: here('../python/http_hello.py'), python: true },
];

const byName = (name: string) => httpSubjects.find((subject) => subject.name === name) as Subject;
/** The HTTP targets' pairs, measured at once on one core (paired.ts); bare node:http beside itself shows the noise. */
export const httpPairs: [Subject, Subject][] = [
  [byName('04-framework/raw-server'), byName('bare node:http')],
  [byName('04-framework/app (Fastify)'), byName('bare node:http')],
  [byName('04-framework/app (Fastify)'), byName('bare Fastify hello')],
  [byName('bare node:http'), byName('bare node:http')],
];

export function plan(mode: Mode, withPython: boolean): Row[] {
  const pick = (subjects: Subject[]) =>
    subjects.filter((subject) => (withPython || !subject.python) && (mode !== 'tiny' || subject.python !== true));
  const tiny = mode === 'tiny';
  const rows: Row[] = [];
  const tcpShapes = mode === 'full' ? [1, 50, 500] : tiny ? [2] : [50];
  const tcpSizes = tiny ? [64] : [64, 4096];
  for (const connections of tcpShapes) {
    for (const size of tcpSizes) {
      for (const subject of pick(tiny ? tcpSubjects.slice(0, 2) : tcpSubjects)) {
        rows.push({
          group: 'TCP echo',
          subject,
          shape: { connections, size },
          load: (port, durationMs) =>
            echoLoad({ kind: 'tcp', port, connections, size, durationMs, threads: loadThreads }),
        });
      }
    }
  }
  for (const connections of mode === 'full' ? [1, 50] : tiny ? [2] : [50]) {
    for (const size of tiny ? [64] : [64, 1024]) {
      for (const subject of pick(tiny ? udpSubjects.slice(0, 2) : udpSubjects)) {
        rows.push({
          group: 'UDP echo',
          subject,
          shape: { connections, size },
          load: (port, durationMs) =>
            echoLoad({ kind: 'udp', port, connections, size, durationMs, threads: loadThreads }),
        });
      }
    }
  }
  // 500 connections in quick mode too: the memory targets are set there (report.ts).
  for (const connections of mode === 'full' ? [1, 50, 500] : tiny ? [2] : [50, 500]) {
    for (const subject of pick(tiny ? httpSubjects.slice(0, 2) : httpSubjects)) {
      rows.push({
        group: 'HTTP GET /',
        subject,
        shape: { connections },
        load: (port, durationMs) => httpLoad({ port, path: '/', connections, durationMs, pinned: httpPinned }),
        pinned: httpPinned,
      });
    }
  }
  return rows;
}
