/**
 * A line-protocol client for specs and the tour: connects, collects every line the server sends,
 * and waits for a line matching a pattern (with a timeout), as a person watching a chat would.
 */
import type net from 'node:net';
import { connect, type ProbeOptions } from './tcp.ts';

export class LineClient {
  readonly lines: string[] = [];
  closed = false;
  private partial = '';
  private readonly listeners = new Set<() => void>();

  readonly socket: net.Socket;

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => {
      const parts = (this.partial + text).split('\n');
      this.partial = parts.pop() ?? '';
      this.lines.push(...parts.map((line) => line.replace(/\r$/, '')));
      this.notify();
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      this.closed = true;
      this.notify();
    });
  }

  static async open(port: number, options?: ProbeOptions): Promise<LineClient> {
    return new LineClient(await connect(port, options));
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }

  send(line: string): void {
    this.socket.write(`${line}\n`);
  }

  /** Resolves with the first line (from index `from` on) matching `pattern`. */
  waitFor(pattern: RegExp, { from = 0, timeoutMs = 10_000 } = {}): Promise<string> {
    // Each check looks only at the lines that came since the last one: a wait over tens of thousands of lines
    // must not cost the client's event loop more with every line, or the server drops it as a slow reader.
    let next = from;
    return this.until(`a line matching ${pattern}`, timeoutMs, () => {
      if (next > this.lines.length) next = Math.min(from, this.lines.length); // lines taken away meanwhile
      for (; next < this.lines.length; next++) {
        const line = this.lines[next] as string;
        if (pattern.test(line)) return line;
      }
      if (this.closed) throw new Error('the connection closed');
      return undefined;
    });
  }

  /** Resolves once the server has closed the connection. */
  waitForClose(timeoutMs = 10_000): Promise<true> {
    return this.until('the connection to close', timeoutMs, () => (this.closed ? true : undefined));
  }

  /** Re-runs `check` on every line and on close until it returns a value or throws. */
  private until<T>(what: string, timeoutMs: number, check: () => T | undefined): Promise<T> {
    return new Promise((resolve, reject) => {
      const listener = () => {
        try {
          const value = check();
          if (value !== undefined) finish(() => resolve(value));
        } catch (error) {
          finish(() =>
            reject(
              new Error(`${(error as Error).message} before ${what}; got ${JSON.stringify(this.lines.slice(-5))}`),
            ),
          );
        }
      };
      const timer = setTimeout(() => {
        finish(() => reject(new Error(`no ${what} in ${timeoutMs} ms; got ${JSON.stringify(this.lines.slice(-5))}`)));
      }, timeoutMs);
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        this.listeners.delete(listener);
        settle();
      };
      this.listeners.add(listener);
      listener();
    });
  }

  close(): void {
    this.socket.destroy();
  }
}
