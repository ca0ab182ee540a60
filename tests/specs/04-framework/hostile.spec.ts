/** Hostile clients against the HTTP servers of 04-framework (see support/hostile.ts). */
import { programFile } from '@netprog/shared/programs';
import { describe } from 'vitest';
import { answersHttp, checkHostileClients, malformedHttp } from '../../support/hostile.ts';

describe('raw-server', () =>
  checkHostileClients({
    name: 'raw-server',
    file: programFile('04-framework', 'raw-server'),
    transport: 'tcp',
    malformed: malformedHttp,
    answers: answersHttp('/'),
  }));

describe('app', () =>
  checkHostileClients({
    name: 'app',
    file: programFile('04-framework', 'app'),
    transport: 'tcp',
    malformed: [
      ...malformedHttp,
      'POST /notes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n[]',
      'GET /notes/0 HTTP/1.1\r\nHost: x\r\n\r\n',
      'GET /sleep?ms=abc HTTP/1.1\r\nHost: x\r\n\r\n',
      'DELETE /notes/99999999999999999999 HTTP/1.1\r\nHost: x\r\n\r\n',
    ],
    answers: answersHttp('/'),
  }));
