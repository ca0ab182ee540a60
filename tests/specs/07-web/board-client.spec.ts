/**
 * board-client against the board: the steps a person would take, each printed with its status; forge refused;
 * and each failure one line, exit 1: a step that does not do what it should, an unknown step, a certificate
 * it cannot verify, and no board at all.
 */
import { runProgram } from '@netprog/shared/program';
import { programFile } from '@netprog/shared/programs';
import { expect, it } from 'vitest';
import { describeBoard, useBoard } from '../../support/board.ts';
import { expectCleanStop } from '../../support/checks.ts';
import { closedTcpPort } from '../../support/peers.ts';

const client = programFile('07-web', 'board-client');
const env = { BOARD_PASSWORD: 'correct horse battery staple' };

describeBoard('board-client', () => {
  const board = useBoard();
  const args = (port: number, ...steps: string[]) => [
    '--ca',
    board.certs.file('ca.crt'),
    '--port',
    String(port),
    ...steps,
  ];

  it('registers, posts, reads, has a forged post refused, logs out and in again, and exits 0', async () => {
    const { server } = await board.start();
    const run = await runProgram(client, {
      args: args(server.port, 'register', 'post', 'first <i>post</i>', 'forge', 'forged', 'logout', 'login', 'read'),
      env,
    });
    expect(run).toMatchObject({ exitCode: 0, stderr: '' });
    expect(run.stdout).toBe(
      [
        'POST /register: 303 See Other, to /',
        'POST /posts: 303 See Other, to /',
        'POST /posts from https://evil.example: 403 Forbidden, refused',
        'POST /logout: 303 See Other, to /',
        'POST /login: 303 See Other, to /',
        'GET /: 200 OK',
        '  alice: first <i>post</i>',
        '',
      ].join('\n'),
    );
    await expectCleanStop(server);
  });

  it('stops at the first step that fails, and says why in one line, exit 1', async () => {
    const { server } = await board.start();
    const cases = [
      {
        steps: ['login'],
        stdout: 'POST /login: 422 Unprocessable Entity\n',
        stderr: 'error: got 422, not 303: Wrong name or password.\n',
      },
      {
        steps: ['read', 'fly'],
        stdout: '',
        stderr: "error: unknown step 'fly'; the steps are register, login, post TEXT, read, forge TEXT, logout\n",
      },
      { steps: ['post'], stdout: '', stderr: 'error: post needs its text\n' },
      {
        steps: [],
        stdout: '',
        stderr: 'error: expected at least one step: register, login, post TEXT, read, forge TEXT, logout\n',
      },
    ];
    for (const { steps, stdout, stderr } of cases) {
      expect(await runProgram(client, { args: args(server.port, ...steps), env }), steps.join(' ')).toMatchObject({
        exitCode: 1,
        stdout,
        stderr,
      });
    }
    const unverified = await runProgram(client, { args: ['--port', String(server.port), 'read'] });
    expect(unverified).toMatchObject({ exitCode: 1, stdout: '' });
    expect(unverified.stderr).toBe(
      `error: 127.0.0.1:${server.port}: certificate not signed by a trusted CA (UNABLE_TO_VERIFY_LEAF_SIGNATURE); give its CA with --ca\n`,
    );
    await expectCleanStop(server);
    const port = await closedTcpPort();
    expect(await runProgram(client, { args: args(port, 'read') })).toMatchObject({
      exitCode: 1,
      stderr: `error: 127.0.0.1:${port}: connection refused, is the server running? (ECONNREFUSED)\n`,
    });
  });
});
