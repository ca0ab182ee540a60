/**
 * What game-client.ts keeps so that it can play ahead of the server: its numbered moves until a snapshot
 * acknowledges them (client-side prediction, then reconciliation), and which snapshots arrived, were lost, came
 * late or twice. No socket here either, so the bookkeeping can be tested on its own.
 */
import { type Message, type Move, maxMovesPerInput, type PlayerState } from './game-protocol.ts';
import { moved, type Position } from './game-rules.ts';

type Snapshot = Extract<Message, { type: 'snapshot' }>;

export class MoveLog {
  /** Moves sent and not yet acknowledged, oldest first; older ones than fit in a datagram are given up. */
  private readonly pending: Array<{ sequence: number; move: Move }> = [];
  private nextSequence = 1;
  made = 0;

  add(move: Move): void {
    this.pending.push({ sequence: this.nextSequence++, move });
    if (this.pending.length > maxMovesPerInput) this.pending.shift();
    this.made++;
  }

  /** What the next input datagram carries: every unacknowledged move, so one lost datagram loses nothing. */
  window(): { firstSequence: number; moves: Move[] } {
    return { firstSequence: this.pending[0]?.sequence ?? this.nextSequence, moves: this.pending.map((m) => m.move) };
  }

  /** A snapshot took our moves up to `ack`: they are the server's now. */
  acknowledge(ack: number): void {
    while (this.pending[0] && this.pending[0].sequence <= ack) this.pending.shift();
  }

  get unacknowledged(): number {
    return this.pending.length;
  }

  /** The prediction: the server's last word on our position, replayed with the moves it has not taken yet. */
  predict(from: Position): Position {
    return this.pending.reduce((at, { move }) => moved(at, move), from);
  }
}

export class SnapshotLog {
  latest: Snapshot | undefined;
  received = 0;
  outOfOrder = 0;
  duplicates = 0;
  private firstTick = 0;
  /** Snapshots of different ticks received, and the last thousand of those ticks, to tell a duplicate. */
  private distinct = 0;
  private readonly seen = new Set<number>();

  /** Counts a snapshot, and says whether it is news: newer than any before it. Only news is shown. */
  take(snapshot: Snapshot): boolean {
    this.received++;
    this.firstTick ||= snapshot.tick;
    if (this.seen.has(snapshot.tick)) {
      this.duplicates++;
      return false;
    }
    this.distinct++;
    this.seen.add(snapshot.tick);
    this.seen.delete(snapshot.tick - 1000);
    if (this.latest && snapshot.tick < this.latest.tick) {
      this.outOfOrder++;
      return false;
    }
    this.latest = snapshot;
    return true;
  }

  /** Ticks since the first snapshot that never arrived (the server sends one a tick). */
  get lost(): number {
    return this.latest ? Math.max(0, this.latest.tick - this.firstTick + 1 - this.distinct) : 0;
  }
}

/** What game-client prints as it leaves: its moves, the snapshots' fate, where it ended and whom it met. */
export function summary(
  moves: MoveLog,
  datagrams: number,
  snapshots: SnapshotLog,
  at: PlayerState | undefined,
  playersSeen: Set<string>,
): string[] {
  const { received, lost, outOfOrder, duplicates } = snapshots;
  const lines = [
    `inputs ${moves.made} in ${datagrams} datagrams, acknowledged up to ${at?.ack ?? 0}`,
    `snapshots ${received}: lost ${lost}, out of order ${outOfOrder}, duplicates ${duplicates}`,
  ];
  const seen = [...playersSeen].join(', ');
  if (at) lines.push(`final position ${at.x},${at.y} after input ${at.ack}, score ${at.score}; players seen: ${seen}`);
  return lines;
}
