/**
 * Which answer belongs to which question, for udp-client.ts. Each datagram is "<sequence> <message>"
 * and the echo carries the same number back. UDP may lose, duplicate and reorder datagrams, so an
 * answer is matched by its number, never by its order: the first answer to a number we are waiting
 * for is the answer; another copy of it is a duplicate; an answer to a number nobody waits for (we
 * gave up, or it never was ours) is late. Neither is ever taken for another message's answer.
 */

export function numbered(sequence: number, message: string): Buffer {
  return Buffer.from(`${sequence} ${message}`);
}

/** The sequence number an answer starts with, or undefined when it has none. */
export function sequenceOf(answer: string): number | undefined {
  const match = /^([1-9]\d{0,8}) /.exec(answer);
  return match ? Number(match[1]) : undefined;
}

export class Replies {
  private readonly waiting = new Map<number, (answer: string) => void>();
  private readonly answered = new Set<number>();
  duplicates = 0;
  late = 0;

  /** Calls `onAnswer` with the first answer numbered `sequence` (until `stopWaiting`). */
  waitFor(sequence: number, onAnswer: (answer: string) => void): void {
    this.waiting.set(sequence, onAnswer);
  }

  stopWaiting(sequence: number): void {
    this.waiting.delete(sequence);
  }

  /** Takes one datagram that arrived. */
  receive(answer: string): void {
    const sequence = sequenceOf(answer);
    const onAnswer = sequence === undefined ? undefined : this.waiting.get(sequence);
    if (sequence !== undefined && onAnswer) {
      this.waiting.delete(sequence);
      this.answered.add(sequence);
      onAnswer(answer);
      return;
    }
    if (sequence !== undefined && this.answered.has(sequence)) this.duplicates++;
    else this.late++;
  }
}
