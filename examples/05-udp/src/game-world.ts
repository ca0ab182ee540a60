/**
 * The game as game-server.ts keeps it: who plays, from which address, where each player is, and which of their
 * numbered inputs it has taken. It has no socket and no timer: the server hands it each checked message and the
 * clock, so the rules that make UDP input safe to believe (sequence numbers, duplicates, a rate cap, tokens) can be
 * read, and tested, on their own.
 */
import { randomInt } from 'node:crypto';
import type { Message, Move } from './game-protocol.ts';
import { arena, coinPoint, moved, spawnPoint } from './game-rules.ts';

interface Address {
  address: string;
  port: number;
}
export interface Player extends Address {
  id: number;
  /** A secret the player got on joining: an input without it is not from this player. */
  token: number;
  name: string;
  x: number;
  y: number;
  score: number;
  /** The newest input taken into account (moved, or refused for going too fast). */
  ack: number;
  /** Moves taken since the last tick, applied at the next one. */
  moves: Move[];
  /** Moves the player may still make now; it refills with time, up to inputRate. */
  allowance: number;
  lastHeard: number;
  /** Snapshots go only to a player that has answered its welcome: it proves the address is theirs. */
  confirmed: boolean;
}
export type Ignored = 'malformed' | 'spoofed' | 'stale' | 'over rate';

export class World {
  readonly players = new Map<number, Player>();
  readonly ignored: Record<Ignored, number> = { malformed: 0, spoofed: 0, stale: 0, 'over rate': 0 };
  coin = coinPoint(Math.random);
  private readonly limits: { maxPlayers: number; inputRate: number };

  constructor(limits: { maxPlayers: number; inputRate: number }) {
    this.limits = limits;
  }

  /** A join from an address: its player (a repeated join, since a welcome may be lost), a new one, or why not. */
  join(name: string, from: Address, now: number): { player: Player; isNew: boolean } | { refused: string } {
    const known = [...this.players.values()].find((p) => p.address === from.address && p.port === from.port);
    if (known) return { player: known, isNew: false };
    const { maxPlayers, inputRate } = this.limits;
    if (this.players.size >= maxPlayers)
      return { refused: `server full (${this.players.size} of ${maxPlayers} players)` };
    let id = 1;
    while (this.players.has(id)) id++;
    const state = { score: 0, ack: 0, moves: [], allowance: inputRate, lastHeard: now, confirmed: false };
    const player = { id, token: randomInt(2 ** 32), name, ...from, ...state, ...spawnPoint(id) };
    this.players.set(id, player);
    return { player, isNew: true };
  }

  /** The player an input or a leave is from, if it carries their token and comes from their address. */
  sender(message: { player: number; token: number }, from: Address, now: number): Player | Ignored {
    const player = this.players.get(message.player);
    // A player that left may still have datagrams on the way (its leave is sent three times): stale.
    if (!player) return 'stale';
    if (player.token !== message.token || player.address !== from.address || player.port !== from.port)
      return 'spoofed';
    player.lastHeard = now;
    player.confirmed = true;
    return player;
  }

  // Inputs are numbered. A datagram repeats the newest unacknowledged ones, so only numbers above the
  // player's ack are new; the rest are duplicates or arrived late, and are ignored. What passes waits
  // for the next tick, within the player's allowance.
  takeMoves(player: Player, firstSequence: number, moves: Move[]): void {
    const newest = firstSequence + moves.length - 1;
    if (moves.length > 0 && newest <= player.ack) return void this.ignored.stale++; // nothing new in it
    for (const [offset, move] of moves.entries()) {
      if (firstSequence + offset <= player.ack) continue;
      if (player.allowance >= 1) player.moves.push(move);
      else this.ignored['over rate']++;
      player.allowance = Math.max(0, player.allowance - 1);
    }
    player.ack = Math.max(player.ack, newest);
  }

  /** Players not heard from since `since` (the server makes them leave). */
  silentSince(since: number): Player[] {
    return [...this.players.values()].filter((player) => player.lastHeard < since);
  }

  /** One tick of `elapsedMs`: refill allowances, apply the moves in order, and collect the coin. */
  step(elapsedMs: number): void {
    for (const player of this.players.values()) {
      player.allowance = Math.min(this.limits.inputRate, player.allowance + (this.limits.inputRate * elapsedMs) / 1000);
      for (const move of player.moves.splice(0)) {
        Object.assign(player, moved(player, move));
        if (player.x !== this.coin.x || player.y !== this.coin.y) continue;
        player.score++;
        this.coin = coinPoint(Math.random);
      }
    }
  }

  snapshot(tick: number): Extract<Message, { type: 'snapshot' }> {
    return { type: 'snapshot', tick, coinX: this.coin.x, coinY: this.coin.y, players: [...this.players.values()] };
  }

  welcome(player: Player, tickMs: number): Extract<Message, { type: 'welcome' }> {
    return { type: 'welcome', player: player.id, token: player.token, ...arena, tickMs };
  }
}
