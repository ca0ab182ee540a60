/**
 * Which answer belongs to which question, for udp-client.ts. Each datagram is "<sequence> <message>"
 * and the echo carries the same number back. UDP may lose, duplicate and reorder datagrams, so an
 * answer is matched by its number, never by its order: the first answer to a number we are waiting
 * for, with the bytes we sent, is the answer; another copy of it is a duplicate; anything else (a
 * number nobody waits for any more, or bytes that are not what we sent) is late. Neither is ever
 * taken for another message's answer, and a wrong answer does not end the wait for the right one.
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
  private readonly waiting = new Map<number, { expected: string; onAnswer: (answer: string) => void }>();
  private readonly answered = new Map<number, string>();
  duplicates = 0;
  late = 0;

  /** Calls `onAnswer` once `expected` (numbered `sequence`) comes back, unless `stopWaiting` comes first. */
  waitFor(sequence: number, expected: string, onAnswer: (answer: string) => void): void {
    this.waiting.set(sequence, { expected, onAnswer });
  }

  stopWaiting(sequence: number): void {
    this.waiting.delete(sequence);
  }

  /** Takes one datagram that arrived. */
  receive(answer: string): void {
    const sequence = sequenceOf(answer);
    const waiting = sequence === undefined ? undefined : this.waiting.get(sequence);
    if (sequence !== undefined && waiting?.expected === answer) {
      this.waiting.delete(sequence);
      this.answered.set(sequence, answer);
      waiting.onAnswer(answer);
      return;
    }
    if (sequence !== undefined && this.answered.get(sequence) === answer) this.duplicates++;
    else this.late++;
  }
}
