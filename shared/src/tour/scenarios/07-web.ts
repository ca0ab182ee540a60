/**
 * 07-web on stage: certificates, the board at its shipped settings (scrypt at N=2^17), and a session scripted
 * with fetch by board-client: register, post, read, a forged cross-site post refused, log out, log in again. The
 * board needs node:sqlite (Node 22.13+); on an older Node the tour says so and shows the board's refusal.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { nodeNeededBy } from '../../programs.ts';
import type { Scenario } from '../scene.ts';

export const webScenario: Scenario = {
  area: '07-web',
  title: 'Web development done right',
  async play(scene) {
    const needs = nodeNeededBy('07-web');
    if (needs) {
      scene.note(`the board needs node:sqlite, in Node ${needs} and newer; on this Node it says so and stops:`);
      await scene.run('board');
      return;
    }
    // Node 22 warns that node:sqlite is experimental (24 and 26 do not): real, but not part of the lesson.
    scene.omit(/ExperimentalWarning: SQLite|node --trace-warnings/);
    const directory = mkdtempSync(path.join(tmpdir(), 'tour-07-'));
    await scene.run('make-certs', { cwd: directory });
    const board = await scene.start('board', 4443, { cwd: directory });
    const env = { BOARD_PASSWORD: 'correct horse battery staple' };
    const client = (name: string, ...steps: string[]) => ({
      args: ['--ca', 'certs/ca.crt', '--name', name, ...steps],
      isolation: ['--port', String(board.server.port)],
      env,
      cwd: directory,
    });
    await scene.run(
      'board-client',
      client('alice', 'register', 'post', 'Hello, <b>board</b>', 'read', 'forge', 'I quit', 'logout'),
    );
    await scene.run('board-client', client('alice', 'login', 'read'));
    // The same password for a name nobody has: the answer a wrong password gets, after the same work.
    await scene.run('board-client', client('mallory', 'login'));
    await scene.stop(board);
    rmSync(directory, { recursive: true, force: true });
  },
};
