/**
 * The game's rules, which game-server.ts enforces and game-client.ts predicts with: a walled arena,
 * one cell per move, and a coin to collect. Players may share a cell, so a player's position depends
 * only on its own moves: that is what lets a client predict it exactly.
 */
import type { Move } from './game-protocol.ts';

export const arena = { width: 40, height: 15 };

export interface Position {
  x: number;
  y: number;
}

const steps: Record<Move, Position> = { 1: { x: 0, y: -1 }, 2: { x: 0, y: 1 }, 3: { x: -1, y: 0 }, 4: { x: 1, y: 0 } };

/** Where a move leads: one cell up, down, left or right, stopping at the walls. */
export function moved(from: Position, move: Move): Position {
  const step = steps[move];
  return {
    x: Math.min(arena.width - 1, Math.max(0, from.x + step.x)),
    y: Math.min(arena.height - 1, Math.max(0, from.y + step.y)),
  };
}

/** Players start spread along the middle row, by id, so a game can be replayed move by move. */
export function spawnPoint(player: number): Position {
  return { x: (player * 7) % arena.width, y: Math.floor(arena.height / 2) };
}

/** A coin lands on a random cell (the server's own randomness; clients are told where). */
export function coinPoint(random: () => number): Position {
  return { x: Math.floor(random() * arena.width), y: Math.floor(random() * arena.height) };
}
