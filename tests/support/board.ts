/**
 * 07-web's board for the specs: each test starts its own board on a free port with a fresh database file, over
 * HTTPS with certificates made by the area's make-certs, and scrypt's cost lowered (--scrypt-cost 10) where a
 * test is not about the cost. The board needs node:sqlite (Node 22.13+): on an older Node its specs are skipped,
 * and their title says why; the contract spec checks the one-line refusal there instead.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Server, startServer } from '@netprog/shared/program';
import { nodeNeededBy, programFile } from '@netprog/shared/programs';
import { WebClient } from '@netprog/shared/web-client';
import { afterAll, describe } from 'vitest';
import { useCerts } from './certs.ts';
import { withoutNodeWarnings } from './checks.ts';

export const boardFile = programFile('07-web', 'board');
const needs = nodeNeededBy('07-web');

/** A describe block for the board, skipped (saying why) where this Node lacks node:sqlite. */
export function describeBoard(name: string, body: () => void): void {
  if (needs) describe.skip(`${name} (skipped: Node ${process.versions.node} has no node:sqlite; needs ${needs})`, body);
  else describe(name, body);
}

export function useBoard() {
  const certs = useCerts('07-web');
  const dir = mkdtempSync(path.join(tmpdir(), 'board-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let boards = 0;
  const tlsArgs = () => ['--cert', certs.file('server.crt'), '--key', certs.file('server.key')];
  return {
    certs,
    /** A new database file's path, for a test that starts two boards on one. */
    newDatabase: () => path.join(dir, `board-${++boards}.db`),
    async start(args: string[] = [], database = path.join(dir, `board-${++boards}.db`)) {
      const server = await startServer(boardFile, {
        args: [...tlsArgs(), '--database', database, '--scrypt-cost', '10', ...args],
        cwd: dir,
      });
      return { server, database, client: () => new WebClient(server.port, certs.tlsProbe()) };
    },
  };
}

/** Registers `name` through the form, as a person would; the client is then signed in. */
export async function register(client: WebClient, name: string, password = 'correct horse battery staple') {
  const reply = await client.submit('/register', '/register', { name, password });
  if (reply.status !== 303) throw new Error(`register ${name}: ${reply.status} ${reply.body.slice(0, 500)}`);
  return reply;
}

/** Logs `name` in through the form. */
export function logIn(client: WebClient, name: string, password = 'correct horse battery staple') {
  return client.submit('/login', '/login', { name, password });
}

/** The minimal part of node:sqlite a spec uses to look into a board's database (the suite's types are Node 20's). */
interface Sqlite {
  DatabaseSync: new (
    file: string,
  ) => {
    prepare(sql: string): {
      run(...values: unknown[]): unknown;
      get(...values: unknown[]): unknown;
      all(...values: unknown[]): unknown[];
    };
    close(): void;
  };
}
/** Opens a board's database file beside the running board, as an administrator's sqlite3 shell would. */
export function openDatabase(file: string) {
  const sqlite = process.getBuiltinModule('node:sqlite' as 'node:fs') as unknown as Sqlite;
  return new sqlite.DatabaseSync(file);
}

/** The next line a board prints on stderr after its first `from` characters (a refusal, say). */
export function nextErrorLine(server: Server, from: number): Promise<string> {
  return server.waitFor('a line on stderr', () => {
    const fresh = withoutNodeWarnings(server.stderr.slice(from));
    return fresh.includes('\n') ? fresh : undefined;
  });
}
