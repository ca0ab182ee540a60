/**
 * The output of several things played at once, printed in a fixed order, as if they had run one
 * after another: the first part's lines as they come, each later part's held until every part
 * before it is done, then printed, and live from there on.
 */
type Line = { text: string; stream: 'stdout' | 'stderr' };

export interface OutputPart {
  print(text: string, stream?: Line['stream']): void;
  /** Says the part is complete, so the parts after it may print. */
  finish(): void;
}

export class OrderedOutput {
  private readonly parts: Array<{ held: Line[]; done: boolean }> = [];
  private current = 0;
  private readonly write: (line: Line) => void;

  constructor(write: (text: string, stream: Line['stream']) => void) {
    this.write = (line) => write(line.text, line.stream);
  }

  /** A new part, in order after those already made. */
  part(): OutputPart {
    const index = this.parts.length;
    const part = { held: [] as Line[], done: false };
    this.parts.push(part);
    return {
      print: (text, stream = 'stdout') => {
        if (index === this.current) this.write({ text, stream });
        else part.held.push({ text, stream });
      },
      finish: () => {
        part.done = true;
        while (this.parts[this.current]?.done) {
          this.current++;
          const next = this.parts[this.current];
          for (const line of next?.held.splice(0) ?? []) this.write(line);
        }
      },
    };
  }
}
