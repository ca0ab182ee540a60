/**
 * game-client's --bot: a random walk, a move a tick, that turns with a chance of 0.3 at each step. It is seeded, so
 * the same seed makes the same walk and a test or a transcript can replay a game.
 */
import type { Move } from './game-protocol.ts';
import { seededRandom } from './misbehaviour.ts';

/** Each call, the walk's next move, until `moves` have been made; then undefined. */
export function randomWalk(seed: number, moves: number): () => Move | undefined {
  const random = seededRandom(seed);
  let direction: Move = 4;
  let left = moves;
  return () => {
    if (left-- <= 0) return undefined;
    if (random() < 0.3) direction = (1 + Math.floor(random() * 4)) as Move;
    return direction;
  };
}
