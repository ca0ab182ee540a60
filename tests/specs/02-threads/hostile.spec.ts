/** Hostile clients against the HTTP servers of 02-threads (see support/hostile.ts). */
import { programFile } from '@netprog/shared/programs';
import { describe } from 'vitest';
import { answersHttp, checkHostileClients, malformedHttp } from '../../support/hostile.ts';

describe('offload-server', () =>
  checkHostileClients({
    name: 'offload-server',
    file: programFile('02-threads', 'offload-server'),
    transport: 'tcp',
    // Short jobs only, so the jobs hostile requests start do not hold the shutdown.
    options: { args: ['--max-ms', '50'] },
    malformed: [...malformedHttp, 'GET /cpu?ms=-1 HTTP/1.1\r\nHost: x\r\n\r\n', 'GET /cpu?ms=1e9 HTTP/1.1\r\n\r\n'],
    answers: answersHttp('/ping'),
  }));

describe('cluster-server', () =>
  checkHostileClients({
    name: 'cluster-server',
    file: programFile('02-threads', 'cluster-server'),
    transport: 'tcp',
    options: { args: ['--workers', '2'] },
    malformed: malformedHttp,
    answers: answersHttp('/'),
  }));
