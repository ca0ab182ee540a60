/**
 * 06-network's lab, driven by the suite and the tour: a lab is brought up under a number no other
 * test worker uses, programs run on its hosts through `lab exec`, and it is taken down afterwards.
 * What cannot run here (not Linux, not root, a tool missing) is said in `labProblem`.
 */
import { labNamespaces } from './lab-machine.ts';
import {
  type Program,
  type ProgramOptions,
  type ProgramResult,
  runProgram,
  runtimeCommand,
  type Server,
  spawnProgram,
  startServer,
} from './program.ts';
import { programFile } from './programs.ts';

export { labNamespaces, labProblem } from './lab-machine.ts';

export const labFile = programFile('06-network', 'lab');
export const watchFile = programFile('06-network', 'watch');

// A lab's number is in all its names. A test run takes a range of a thousand of its own
// (NETPROG_LAB_BASE, set by the suite's global setup), so two runs on one machine never meet, and
// within it each worker takes a hundred by its pool id; the tour, run on its own, takes the 900s.
const base = Number(process.env.NETPROG_LAB_BASE ?? 0);
const pool = Number(process.env.VITEST_POOL_ID ?? 9);
let counter = 0;
/** A lab number no other worker of this run, nor another run, is using. */
export const nextLabNumber = () => base + pool * 100 + (counter++ % 100);

export class Lab {
  readonly number: number;

  private constructor(number: number) {
    this.number = number;
  }

  /** Brings a lab up and returns it, with what `lab up` printed. */
  static async up(topology: string): Promise<Lab & { printed: ProgramResult }> {
    const lab = new Lab(nextLabNumber());
    const printed = await lab.lab('up', topology);
    if (printed.exitCode !== 0) throw new Error(`lab up ${topology} failed: ${printed.stderr}`);
    return Object.assign(lab, { printed });
  }

  /** Runs `lab VERB ARGS...` for this lab. */
  lab(...args: string[]): Promise<ProgramResult> {
    return runProgram(labFile, { args: ['--lab', String(this.number), ...args], timeoutMs: 30_000 });
  }

  private execArgs(host: string, file: string, args: string[]): string[] {
    return ['--lab', String(this.number), 'exec', host, '--', ...runtimeCommand(), file, ...args];
  }

  /**
   * Starts a server on `host` and waits for its readiness line. It is given --port 0, unless it
   * should keep its default port (the tour's: inside a lab host every port is free).
   */
  startServer(
    host: string,
    file: string,
    args: string[] = [],
    options: { defaultPort?: boolean } = {},
  ): Promise<Server> {
    const port = options.defaultPort ? [] : ['--port', '0'];
    return startServer(labFile, { portArgs: [], args: this.execArgs(host, file, [...port, ...args]) });
  }

  /** Starts a long-running program on `host` (a client that listens, say), without waiting. */
  spawn(host: string, file: string, args: string[] = [], options: { openStdin?: boolean } = {}): Program {
    return spawnProgram(labFile, { args: this.execArgs(host, file, args), openStdin: options.openStdin });
  }

  /** Starts a command that is not one of the examples (redis-server, haproxy) on `host`, without waiting. */
  spawnCommand(host: string, command: string[], env?: Record<string, string>): Program {
    return spawnProgram(labFile, { args: ['--lab', String(this.number), 'exec', host, '--', ...command], env });
  }

  /** Runs a program on `host` to the end. */
  run(host: string, file: string, args: string[] = [], options: ProgramOptions & { timeoutMs?: number } = {}) {
    return runProgram(labFile, { timeoutMs: 30_000, ...options, args: this.execArgs(host, file, args) });
  }

  /** Whether any namespace of this lab exists. */
  isUp(): boolean {
    return labNamespaces().some((name) => name.startsWith(`lab${this.number}-`));
  }

  /** Takes the lab down; throws if anything of it is left. */
  async down(): Promise<ProgramResult> {
    const result = await this.lab('down');
    if (this.isUp()) throw new Error(`lab ${this.number} left namespaces behind`);
    return result;
  }
}
