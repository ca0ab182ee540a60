/**
 * The tour's view of 06-network's lab: each lab command and each program run on a host is shown
 * as the learner would type it (`sudo node …/lab.ts exec b -- node …`), with what it printed.
 * Inside a lab host every port is free, so servers run on their documented default ports.
 */
import { Lab } from '../lab.ts';
import type { Program, ProgramResult } from '../program.ts';
import { programFile } from '../programs.ts';
import { type Scene, shellWords } from './scene.ts';

export class LabStage {
  readonly lab: Lab;
  private readonly scene: Scene;

  private constructor(scene: Scene, lab: Lab) {
    this.scene = scene;
    this.lab = lab;
  }

  static async up(scene: Scene, topology: string): Promise<LabStage> {
    scene.say('lab', `$ sudo node examples/06-network/src/lab.ts up ${topology}`);
    const lab = await Lab.up(topology);
    scene.say('lab', lab.printed.stdout);
    return new LabStage(scene, lab);
  }

  /** The same lab, shown in another scene (an act played at once with others, see Scene.together). */
  in(scene: Scene): LabStage {
    return new LabStage(scene, this.lab);
  }

  /** A lab verb: `lab fault a drop tcp:8080`, `lab status`, `lab down`. */
  async do(...args: string[]): Promise<ProgramResult> {
    this.scene.say('lab', `$ sudo node examples/06-network/src/lab.ts ${shellWords(args)}`);
    const result = await this.lab.lab(...args);
    this.show('lab', result);
    return result;
  }

  private command(host: string, area: string, name: string, args: string[], background = false): string {
    const line = `$ sudo node examples/06-network/src/lab.ts exec ${host} -- node examples/${area}/src/${name}.ts`;
    return `${line}${args.length ? ` ${shellWords(args)}` : ''}${background ? ' &' : ''}`;
  }

  /** Runs a client on `host` to the end and shows what it printed. */
  async run(host: string, area: string, name: string, args: string[] = []): Promise<ProgramResult> {
    const label = `${host} ${name}`;
    this.scene.say(label, this.command(host, area, name, args));
    const result = await this.lab.run(host, programFile(area, name), args);
    this.show(label, result);
    return result;
  }

  /** Starts a server on `host` and shows its lines up to the readiness line. */
  async start(host: string, area: string, name: string, args: string[] = []): Promise<Staged> {
    const label = `${host} ${name}`;
    this.scene.say(label, this.command(host, area, name, args, true));
    const server = await this.lab.startServer(host, programFile(area, name), args, { defaultPort: true });
    this.scene.keepPort(server.port);
    return this.staged(label, server, server.stdoutLines.length);
  }

  /** Starts a program that prints before it serves (watch, a listing client) and waits for `ready`. */
  async background(host: string, area: string, name: string, args: string[], ready: RegExp): Promise<Staged> {
    const label = `${host} ${name}`;
    this.scene.say(label, this.command(host, area, name, args, true));
    const program = this.lab.spawn(host, programFile(area, name), args);
    return this.staged(label, program, (await program.waitForLine(ready)) + 1);
  }

  private staged(label: string, program: Program, shownUpTo: number): Staged {
    const staged = { label, program, shown: 0 };
    this.showUpTo(staged, shownUpTo);
    return staged;
  }

  /**
   * Waits for the program's next line matching `pattern` and shows every line up to it, or, with
   * `show: false`, passes over them (a capture's rows that vary from run to run, say).
   */
  async waitFor(staged: Staged, pattern: RegExp, { show = true } = {}): Promise<void> {
    const upTo = (await staged.program.waitForLine(pattern, { from: staged.shown })) + 1;
    if (show) this.showUpTo(staged, upTo);
    else staged.shown = upTo;
  }

  /** Stops it with Ctrl+C and shows the rest of what it printed. */
  async stop(staged: Staged): Promise<void> {
    const result = await staged.program.stop({ signal: 'SIGINT' });
    this.showUpTo(staged, staged.program.stdoutLines.length);
    if (result.stderr) this.scene.say(staged.label, result.stderr);
  }

  private showUpTo(staged: Staged, upTo: number): void {
    const fresh = staged.program.stdoutLines.slice(staged.shown, upTo);
    if (fresh.length > 0) this.scene.say(staged.label, fresh.join('\n'));
    staged.shown = Math.max(staged.shown, upTo);
  }

  private show(label: string, result: ProgramResult): void {
    if (result.stdout) this.scene.say(label, result.stdout);
    if (result.stderr) this.scene.say(label, result.stderr);
    if (result.exitCode !== 0) this.scene.say(label, `(exit ${result.exitCode ?? result.signal})`);
  }
}

export interface Staged {
  label: string;
  program: Program;
  shown: number;
}
