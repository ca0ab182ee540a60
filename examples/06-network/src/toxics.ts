/**
 * What tcp-relay does to the bytes of one direction of a connection, in toxiproxy's vocabulary:
 * latency with jitter, a bandwidth limit, slicing into small pieces sent apart, a stall, a reset,
 * a slow close. Bytes are never reordered (TCP keeps order, so a real slow network does too); each
 * piece is given the time it is due, and one timer sends what is due. Reading pauses while more
 * than `maxQueuedBytes` wait, so a slow direction slows its sender instead of filling memory.
 */
import type { Socket } from 'node:net';

export interface Toxics {
  latency: number;
  jitter: number;
  /** Bytes per second, 0 for no limit. */
  bandwidth: number;
  /** Largest piece in bytes, 0 to pass chunks whole; pieces leave sliceDelay ms apart. */
  slice: number;
  sliceDelay: number;
  /** Once this many bytes have passed (both directions together), stall or reset; 0 for never. */
  stallAfter: number;
  resetAfter: number;
  /** How long the end of a stream (FIN) is held back. */
  slowClose: number;
}

/** A connection's two directions share this: the bytes passed so far, and what ended it. */
export interface Passage {
  bytes: number;
  stalled: boolean;
  onStall(): void;
  onReset(): void;
}

const maxQueuedBytes = 1024 * 1024;

export function relayDirection(from: Socket, to: Socket, toxics: Toxics, random: () => number, passage: Passage) {
  const queue: Array<{ piece: Buffer; due: number }> = [];
  let queuedBytes = 0;
  let lastDue = 0;
  let wireFreeAt = 0;
  let ended = false;
  let timer: NodeJS.Timeout | undefined;

  from.on('data', (chunk: Buffer) => {
    for (let offset = 0; offset < chunk.length; offset += toxics.slice || chunk.length) {
      const piece = chunk.subarray(offset, offset + (toxics.slice || chunk.length));
      const now = performance.now();
      // Jitter spreads each piece's latency by up to ±jitter; never earlier than the piece before.
      let due = Math.max(now + toxics.latency + (random() * 2 - 1) * toxics.jitter, lastDue);
      if (toxics.slice > 0) due = Math.max(due, lastDue + toxics.sliceDelay);
      // The bandwidth limit: a piece occupies the wire for length / bandwidth seconds.
      if (toxics.bandwidth > 0) {
        wireFreeAt = Math.max(due, wireFreeAt) + (piece.length / toxics.bandwidth) * 1000;
        due = wireFreeAt;
      }
      lastDue = due;
      queue.push({ piece, due });
      queuedBytes += piece.length;
    }
    if (queuedBytes > maxQueuedBytes) from.pause();
    schedule();
  });
  from.on('end', () => {
    ended = true;
    schedule();
  });

  function schedule(): void {
    // A connection that is gone, or stalled, sends nothing more: what is queued is dropped with it.
    if (timer || passage.stalled || to.destroyed) return;
    const next = queue[0];
    if (next) timer = setTimeout(send, Math.max(0, next.due - performance.now()));
    else if (ended) setTimeout(() => to.end(), toxics.slowClose);
  }

  function send(): void {
    timer = undefined;
    while (queue[0] && queue[0].due <= performance.now() && !passage.stalled) {
      const { piece } = queue.shift() as { piece: Buffer };
      queuedBytes -= piece.length;
      // A limit that falls inside this piece: send the part before it, then stall or reset.
      const limit = [toxics.stallAfter, toxics.resetAfter].filter((bytes) => bytes > passage.bytes);
      const room = limit.length > 0 ? Math.min(...limit) - passage.bytes : piece.length;
      if (!to.write(piece.subarray(0, room))) from.pause();
      passage.bytes += Math.min(room, piece.length);
      if (passage.bytes === toxics.resetAfter) {
        passage.onReset();
        return;
      }
      if (passage.bytes === toxics.stallAfter) {
        passage.stalled = true;
        passage.onStall();
      }
    }
    if (queuedBytes < maxQueuedBytes / 2 && !to.writableNeedDrain) from.resume();
    schedule();
  }
  // The destination's own buffer is full: wait for it to drain before reading more.
  to.on('drain', () => queuedBytes < maxQueuedBytes / 2 && from.resume());
}
