/**
 * Starts an example program the way the suite, the tour and the benchmarks need it: as
 * `node <file>` where Node strips types, else `node --import tsx <file>` (one process either way, so a
 * signal reaches the program itself and not an npm or tsx wrapper), or with `bun <file>` or
 * `deno run -A <file>` under EXAMPLE_RUNTIME, leading its own process group,
 * with its output captured. Servers are waited on
 * by their readiness line; clients are run to completion under a time limit.
 */
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { isGroupAlive, signalGroup, trackGroup } from './process-groups.ts';
import { repoRoot } from './programs.ts';

/** tsx's loader as a file URL, so that `--import` works from any working directory. */
const tsxLoader = import.meta.resolve('tsx');

/**
 * How a `.ts` program is run: Node 22.18+ strips types itself (`process.features.typescript`), so
 * plain `node file.ts` runs it as a learner would; older Node needs tsx's loader. Either way it is
 * one process, so a signal sent to it reaches the program.
 */
export const typeScriptRunner: string[] = (process.features as { typescript?: string | false }).typescript
  ? []
  : ['--import', tsxLoader];

/** The runtimes the examples are proven on. Node runs the suite; Bun and Deno only run the examples. */
export const runtimes = ['node', 'bun', 'deno'] as const;
export type Runtime = (typeof runtimes)[number];

/**
 * Which runtime starts the examples: EXAMPLE_RUNTIME=bun or deno (CI's Bun and Deno legs), else Node.
 * Bun and Deno come from the lockfile (their npm packages carry the binaries), so every leg runs the
 * pinned versions.
 */
export const exampleRuntime: Runtime = runtimeNamed(process.env.EXAMPLE_RUNTIME ?? 'node');

function runtimeNamed(name: string): Runtime {
  const runtime = runtimes.find((known) => known === name);
  if (!runtime) throw new Error(`EXAMPLE_RUNTIME must be one of ${runtimes.join(', ')}, got '${name}'`);
  return runtime;
}

/** The command that runs a `.ts` program on a runtime, as a learner would type it (`bun f.ts`, `deno run -A f.ts`). */
export function runtimeCommand(runtime: Runtime = exampleRuntime): string[] {
  const bin = (name: string) => path.join(repoRoot, 'node_modules', '.bin', name);
  if (runtime === 'bun') return [bin('bun')];
  // -A grants what a server needs (net, read, write, env, sys); inside the repository Deno finds
  // the packages in node_modules, so no --unstable flag is needed.
  if (runtime === 'deno') return [bin('deno'), 'run', '-A'];
  return [process.execPath, ...typeScriptRunner];
}

export const readinessPattern = /^listening on (tcp|tls|udp|https?):\/\/(\[[0-9a-f:.]+\]|[^\s:/]+):(\d+)$/m;

export interface ProgramOptions {
  args?: string[];
  cwd?: string;
  env?: Record<string, string>;
  /** Written to the program's stdin, which is then closed. Without it stdin is empty. */
  input?: string | Buffer;
  /** Leaves stdin open, as a person at a terminal would: write to `program.stdin`, end it to send EOF. */
  openStdin?: boolean;
}

export interface ProgramResult {
  exitCode: number | undefined;
  signal: string | undefined;
  stdout: string;
  stderr: string;
  elapsedMs: number;
  /** True when the program had to be killed: it outlived its time limit or its stop deadline. */
  killed: boolean;
  /** True when processes of the program's group outlived it (orphans). */
  groupLeftAlive: boolean;
}

/** A program that was started and has not necessarily finished. */
export class Program {
  stdout = '';
  stderr = '';
  readonly pid: number;
  readonly exited: Promise<ProgramResult>;
  private readonly startedAt = Date.now();
  private killed = false;
  private readonly listeners = new Set<() => void>();

  readonly file: string;
  /** The program's stdin, when it was started with `openStdin`. */
  readonly stdin: NodeJS.WritableStream | null;

  constructor(file: string, subprocess: ResultPromise) {
    this.file = file;
    this.stdin = subprocess.stdin;
    if (subprocess.pid === undefined) throw new Error(`could not start ${file}`);
    this.pid = subprocess.pid;
    trackGroup(this.pid);
    subprocess.stdout?.setEncoding('utf8').on('data', (text: string) => this.append('stdout', text));
    subprocess.stderr?.setEncoding('utf8').on('data', (text: string) => this.append('stderr', text));
    this.exited = subprocess.then(async (result) => ({
      exitCode: result.exitCode,
      signal: result.signal,
      stdout: this.stdout,
      stderr: this.stderr,
      elapsedMs: Date.now() - this.startedAt,
      killed: this.killed,
      groupLeftAlive: !(await this.groupGone()),
    }));
    this.exited.then(() => this.notify());
  }

  /**
   * Waits briefly for the rest of the group to go once the program itself has exited: helpers it
   * started (tsx's esbuild, workers) need a moment to notice. Anything still there is an orphan.
   */
  private async groupGone(graceMs = 2000): Promise<boolean> {
    const deadline = Date.now() + graceMs;
    while (isGroupAlive(this.pid)) {
      if (Date.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return true;
  }

  private append(stream: 'stdout' | 'stderr', text: string): void {
    this[stream] += text;
    this.notify();
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }

  get stdoutLines(): string[] {
    return this.stdout.split('\n').filter((line, index, lines) => index < lines.length - 1 || line !== '');
  }

  /**
   * Waits until `check` returns a value (checked on every output and on exit), or fails after
   * `timeoutMs` with what the program printed so far.
   */
  waitFor<T>(what: string, check: () => T | undefined, timeoutMs = 10_000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let exited = false;
      const listener = () => {
        const value = check();
        if (value !== undefined) return finish(() => resolve(value));
        if (exited) finish(() => reject(this.failure(`exited before ${what}`)));
      };
      const timer = setTimeout(
        () => finish(() => reject(this.failure(`no ${what} within ${timeoutMs} ms`))),
        timeoutMs,
      );
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        this.listeners.delete(listener);
        settle();
      };
      this.exited.then(() => {
        exited = true;
        listener();
      });
      this.listeners.add(listener);
      listener();
    });
  }

  /** Waits for the index-th stdout line (counting from `from`) that matches `pattern`. */
  waitForLine(pattern: RegExp, { from = 0, timeoutMs = 10_000 } = {}): Promise<number> {
    return this.waitFor(
      `a line matching ${pattern} after line ${from}`,
      () => {
        const index = this.stdoutLines.findIndex((line, i) => i >= from && pattern.test(line));
        return index === -1 ? undefined : index;
      },
      timeoutMs,
    );
  }

  failure(message: string): Error {
    const show = (text: string) => (text === '' ? '(nothing)' : `\n${text.trimEnd()}`);
    return new Error(`${this.file} ${message}\nstdout: ${show(this.stdout)}\nstderr: ${show(this.stderr)}`);
  }

  isRunning(): boolean {
    return isGroupAlive(this.pid);
  }

  /** Sends a signal to the program itself (as `kill PID` does), not to its group. */
  signal(signal: NodeJS.Signals): void {
    try {
      process.kill(this.pid, signal);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }

  /** Kills the program and everything it started. */
  kill(): void {
    this.killed = true;
    signalGroup(this.pid, 'SIGKILL');
  }

  /**
   * Asks the program to stop with `signal` and waits up to `deadlineMs`; past that the whole
   * group is killed and the result says so.
   */
  async stop({ signal = 'SIGTERM' as NodeJS.Signals, deadlineMs = 5000 } = {}): Promise<ProgramResult> {
    this.signal(signal);
    const timer = setTimeout(() => this.kill(), deadlineMs);
    const result = await this.exited;
    clearTimeout(timer);
    return result;
  }
}

/**
 * Starts a program without waiting for anything. A `.py` file (the tutorials' own designs, used
 * by the benchmarks) runs under `python3 -u`, unbuffered so its readiness line arrives at once.
 */
export function spawnProgram(file: string, options: ProgramOptions = {}): Program {
  const [command, ...prefix] = file.endsWith('.py') ? ['python3', '-u'] : runtimeCommand();
  const subprocess = execa(command as string, [...prefix, file, ...(options.args ?? [])], {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    reject: false,
    buffer: false,
    ...(options.openStdin ? { stdin: 'pipe' as const } : { input: options.input ?? '' }),
    stripFinalNewline: false,
  });
  return new Program(file, subprocess);
}

/** A server that printed its readiness line. */
export interface Server extends Program {
  scheme: string;
  host: string;
  port: number;
}

/**
 * Starts a server and waits for its readiness line. If the line does not come, the server is
 * killed and the error shows what it printed.
 */
export async function startServer(
  file: string,
  options: ProgramOptions & { readyTimeoutMs?: number; portArgs?: string[] } = {},
): Promise<Server> {
  // A program that starts a server for us (lab exec) takes the server's --port 0 among its own args.
  const portArgs = options.portArgs ?? ['--port', '0'];
  const program = spawnProgram(file, { ...options, args: [...portArgs, ...(options.args ?? [])] });
  try {
    const match = await program.waitFor(
      'readiness line "listening on <scheme>://<host>:<port>"',
      () => readinessPattern.exec(program.stdout) ?? undefined,
      options.readyTimeoutMs,
    );
    const [, scheme = '', host = '', port = ''] = match;
    return Object.assign(program, { scheme, host: host.replace(/^\[|\]$/g, ''), port: Number(port) });
  } catch (error) {
    program.kill();
    await program.exited;
    throw error;
  }
}

/** The first of `programs` to print a line matching `pattern`: which of several nodes took a client, say. */
export function firstToPrint<P extends Program>(programs: P[], pattern: RegExp): Promise<P> {
  return Promise.any(programs.map((program) => program.waitForLine(pattern).then(() => program)));
}

/** Runs a program to completion; past `timeoutMs` it is killed and `killed` is set. */
export async function runProgram(
  file: string,
  options: ProgramOptions & { timeoutMs?: number } = {},
): Promise<ProgramResult> {
  const program = spawnProgram(file, options);
  const timer = setTimeout(() => program.kill(), options.timeoutMs ?? 15_000);
  const result = await program.exited;
  clearTimeout(timer);
  return result;
}
