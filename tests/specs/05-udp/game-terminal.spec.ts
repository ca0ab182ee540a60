/**
 * game-client in a real terminal: run under `script` (util-linux), which gives it a pseudo-terminal,
 * so it draws the arena and reads keys in raw mode as it does for a learner. Keys are typed into that
 * terminal, and a second player, driven here, watches the moves arrive at the server.
 */

import { GamePeer } from '@netprog/shared/game-peer';
import { Program, startServer, typeScriptRunner } from '@netprog/shared/program';
import { programFile } from '@netprog/shared/programs';
import { execa } from 'execa';
import { afterEach, expect, it } from 'vitest';
import { expectCleanStop } from '../../support/checks.ts';
import { hasScript, noScript } from '../../support/tools.ts';

const gameServer = programFile('05-udp', 'game-server');
const gameClient = programFile('05-udp', 'game-client');
const quote = (word: string) => `'${word.replace(/'/g, "'\\''")}'`;

const watchers: GamePeer[] = [];
afterEach(() => {
  for (const watcher of watchers.splice(0)) watcher.close();
});

/** Starts game-client in a pseudo-terminal; returns it and a function that types into it. */
function inTerminal(args: string[]): [Program, (keys: string) => void] {
  const command = [process.execPath, ...typeScriptRunner, gameClient, ...args].map(quote).join(' ');
  // -q: no banner; -f: pass output on at once; -e: exit with the program's exit code. No log file.
  const subprocess = execa('script', ['-qfec', command, '/dev/null'], {
    detached: true,
    reject: false,
    buffer: false,
    stdin: 'pipe',
  });
  return [new Program(gameClient, subprocess), (keys) => subprocess.stdin?.write(keys)];
}

if (!hasScript && process.env.CI) it('runs the terminal specs', () => expect.fail(noScript));
it.runIf(hasScript).each([
  ['q', 'q'],
  ['Ctrl+C (raw mode hands it over as a key)', '\x03'],
])(
  `draws the arena, moves with arrows and WASD, and leaves on %s${hasScript ? '' : ` (skipped: ${noScript})`}`,
  async (_, quit) => {
    const server = await startServer(gameServer, { args: ['--announce-every', '0'] });
    const watcher = new GamePeer(server.port);
    watchers.push(watcher);
    await watcher.join('watcher');
    const [client, type] = inTerminal(['--port', String(server.port), '--name', 'human']);
    // The first frame: the arena's frame and the help line, drawn once the first snapshot came.
    await client.waitFor('the first frame', () =>
      /arrows or WASD move, q quits/.test(client.stdout) ? true : undefined,
    );
    expect(client.stdout).toContain('\x1b[?1049h'); // the alternate screen, so the game does not scroll the shell away
    expect(client.stdout).toMatch(/┌─{40}┐/);
    // Right arrow, d, down arrow, then an s typed as S: human (player 2, from 14,7) ends at 16,9.
    type('\x1b[C');
    type('d');
    type('\x1b[BS');
    const moved = await watcher.next('snapshot', (s) => s.players.some((p) => p.name === 'human' && p.ack === 4));
    expect(moved.players.find((p) => p.name === 'human')).toMatchObject({ x: 16, y: 9, ack: 4 });
    // The client has that snapshot too once its status line shows that tick (or a later one).
    const newestTickShown = () => Math.max(0, ...[...client.stdout.matchAll(/tick (\d+), /g)].map((m) => Number(m[1])));
    await client.waitFor(`a frame of tick ${moved.tick}`, () => (newestTickShown() >= moved.tick ? true : undefined));
    type(quit);
    const result = await client.exited;
    expect(result.exitCode, result.stdout).toBe(0);
    // The terminal is given back (cursor shown, main screen), then the counts, printed on the shell's screen.
    const restoredAt = result.stdout.lastIndexOf('\x1b[?25h\x1b[?1049l');
    expect(restoredAt).toBeGreaterThan(0);
    expect(result.stdout.slice(restoredAt)).toMatch(/final position 16,9 after input 4, score \d+; players seen: /);
    await server.waitForLine(/^left human \(quit\) at 16,9 after input 4, score \d+$/);
    await expectCleanStop(server);
  },
);
