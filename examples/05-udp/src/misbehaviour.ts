/**
 * What lossy-relay.ts does to each datagram, decided by a seeded generator so that a run can be
 * repeated exactly: the same seed and shares give the same fates, in the same order.
 */

/** A small seeded generator (mulberry32): numbers in [0, 1), the same sequence for the same seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Shares {
  drop: number;
  duplicate: number;
  reorder: number;
}

/** One datagram's fate: dropped, or sent once or twice, now or held back so later ones overtake it. */
export type Fate = { dropped: true } | { dropped: false; copies: 1 | 2; delayed: boolean };

export function fate(random: () => number, shares: Shares): Fate {
  if (random() < shares.drop) return { dropped: true };
  const copies = random() < shares.duplicate ? 2 : 1;
  return { dropped: false, copies, delayed: random() < shares.reorder };
}
