/**
 * The terminal view of game-client.ts: the arena drawn with ANSI escape codes (no dependency), and the arrow keys or
 * WASD read from a terminal in raw mode. Raw mode hands over every key at once, Ctrl+C included, so q and Ctrl+C
 * are handled here. The terminal is restored however the program ends.
 */
import type { Move, PlayerState } from './game-protocol.ts';
import { arena, type Position } from './game-rules.ts';

const keys: Record<string, Move> = { '\x1b[A': 1, '\x1b[B': 2, '\x1b[D': 3, '\x1b[C': 4, w: 1, s: 2, a: 3, d: 4 };
const screen = { alternateScreen: '\x1b[?1049h', mainScreen: '\x1b[?1049l', hideCursor: '\x1b[?25l' };
// An arrow key arrives as three characters: ESC, [ and a letter.
// biome-ignore lint/suspicious/noControlCharactersInRegex: ESC starts every arrow key.
const arrowOrCharacter = /\x1b\[[A-D]|./gs;
const restore = `\x1b[?25h${screen.mainScreen}`;

export interface Frame {
  me: number;
  /** Where this player is, predicted: the server's last word plus the moves it has not acknowledged yet. */
  position: Position;
  coin: Position;
  players: PlayerState[];
  status: string;
}

export function openView(
  onMove: (move: Move) => void,
  onQuit: () => void,
): { draw(frame: Frame): void; close(): void } {
  process.stdout.write(screen.alternateScreen + screen.hideCursor);
  const restoreTerminal = () => process.stdout.write(restore);
  process.on('exit', restoreTerminal);
  process.stdin.setRawMode(true);
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (typed: string) => {
    // Several keys may come in one read when keys repeat fast: take each one.
    for (const key of typed.match(arrowOrCharacter) ?? []) {
      if (key === 'q' || key === '\x03') return onQuit();
      const move = keys[key.toLowerCase()] ?? keys[key];
      if (move) onMove(move);
    }
  });

  return {
    draw(frame) {
      const rows = Array.from({ length: arena.height }, () => Array<string>(arena.width).fill(' '));
      const put = (at: Position, glyph: string) => {
        const row = rows[at.y];
        if (row && at.x < arena.width) row[at.x] = glyph;
      };
      put(frame.coin, '*');
      for (const player of frame.players) if (player.id !== frame.me) put(player, player.name[0] ?? '?');
      put(frame.position, '@');
      const border = '─'.repeat(arena.width);
      const scores = frame.players.map(
        (player) => `${player.id === frame.me ? '@' : player.name[0]} ${player.name} ${player.score}`,
      );
      const lines = [`┌${border}┐`, ...rows.map((row) => `│${row.join('')}│`), `└${border}┘`];
      lines.push(scores.join('  '), `${frame.status}  (arrows or WASD move, q quits)`);
      // Home, then each line cleared to its end: redrawing in place does not flicker as clearing the screen would.
      process.stdout.write(`\x1b[H${lines.map((line) => `${line}\x1b[K`).join('\r\n')}`);
    },
    close() {
      process.stdin.setRawMode(false);
      process.stdin.pause();
      process.removeListener('exit', restoreTerminal);
      restoreTerminal();
    },
  };
}
