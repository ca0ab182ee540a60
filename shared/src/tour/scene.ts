/**
 * A scene is one area's scenario being played: servers started, clients run against them, and
 * every line they print written down as a transcript, the way a learner would see it in two
 * terminals. Ports, temporary paths and other run-to-run noise are normalised, so the same scene
 * gives the same transcript every time: that is what lets README blocks be checked for drift.
 */
import path from 'node:path';
import { type HttpReply, httpGet } from '../http.ts';
import { LineClient } from '../line-client.ts';
import {
  type ProgramResult,
  readinessPattern,
  runProgram,
  type Server,
  spawnProgram,
  startServer,
} from '../program.ts';
import { examplesRoot } from '../programs.ts';
import { OrderedOutput } from './ordered-output.ts';

/** Arguments as a shell would need them typed: quoted where they hold anything but plain characters. */
export function shellWords(args: string[]): string {
  return args.map((arg) => (/^[\w./:=-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`)).join(' ');
}

export interface ProgramStep {
  /**
   * The arguments, run as given and shown as a learner would type them: a server's real port as
   * its documented default, this run's temporary folder as a plain relative path. Written once, so
   * the command in a transcript is always the one that ran.
   */
  args?: string[];
  /**
   * Flags that only keep this run off the machine's fixed ports (`--discovery-port 0`), run but
   * not shown: typed by hand, both sides' defaults line up. A server's own `--port 0` is added by start().
   */
  isolation?: string[];
  cwd?: string;
  /** Another area's program (06-network's scenes run 01-socket's echo-server, say). */
  area?: string;
  /**
   * For a second copy of a server, which cannot take its default port: the command shows `--port` with the port
   * given to start() (the real one runs on a free port, as always).
   */
  showPort?: boolean;
  /** A background client's stdin stays open, for finish() to end as Ctrl+D would. */
  openStdin?: boolean;
}

export interface ClientStep extends ProgramStep {
  /** Written to stdin, shown as `printf '…' |`; an empty string is shown as `< /dev/null`. */
  input?: string;
  /** Environment variables for the client (a password, say), shown before the command as a shell takes them. */
  env?: Record<string, string>;
}

/** A command as the transcript shows it, and the arguments that really ran. */
export interface ShownCommand {
  shown: string;
  args: string[];
  /** What ran besides `args` and is not shown: only flags that keep this run's ports free. */
  isolation: string[];
}

export interface ShownServer {
  server: Server;
  label: string;
  linesShown: number;
}

export class Scene {
  readonly lines: string[] = [];
  private readonly shownPorts = new Map<number, number>();
  private readonly replacements: Array<[string | RegExp, string]> = [];
  private readonly omissions: RegExp[] = [];

  readonly area: string;
  private readonly print: (line: string) => void;

  constructor(area: string, print: (line: string) => void = () => {}) {
    this.area = area;
    this.print = print;
  }

  /**
   * Shows `actual` as `shown` in every later line: a temporary directory as "received", or with a
   * global RegExp, a count that varies from run to run as a placeholder.
   */
  replace(actual: string | RegExp, shown: string): void {
    this.replacements.push([actual, shown]);
  }

  /** Shows `port` as itself in every later line (a server on a lab host keeps its real, default port). */
  keepPort(port: number): void {
    this.shownPorts.set(port, port);
  }

  /** Shows this run's `port` as `shown` (a door a program outside the examples opened, say). */
  showPortAs(port: number, shown: number): void {
    this.shownPorts.set(port, shown);
  }

  /** Shows the command of a program that is not one of the examples (redis-server, haproxy), as typed. */
  outside(label: string, command: string): void {
    this.say(label, `$ ${command}`);
  }

  /** Leaves lines matching `pattern` (one that appears or not depending on timing) out of the transcript only. */
  omit(pattern: RegExp): void {
    this.omissions.push(pattern);
  }

  private normalise(line: string): string {
    let text = line;
    for (const [actual, shown] of this.replacements) {
      text = typeof actual === 'string' ? text.split(actual).join(shown) : text.replace(actual, shown);
    }
    // A server's real port becomes its documented default; a client's ephemeral port, <port>.
    return text.replace(/(127\.0\.0\.1|localhost):(\d+)/g, (_, host: string, port: string) => {
      const shown = this.shownPorts.get(Number(port));
      return `${host}:${shown ?? '<port>'}`;
    });
  }

  /**
   * Prints a program's line as it really was (real ports, real counts) and keeps its normalised
   * form for the README transcript. trimEnd() also drops the \r of a CRLF line, as a terminal would.
   */
  say(label: string, text: string, live = text): void {
    for (const line of text.replace(/\n$/, '').split('\n')) {
      if (this.omissions.some((pattern) => pattern.test(line))) continue;
      this.lines.push(`${label.padEnd(15)} ${this.normalise(line)}`.trimEnd());
    }
    for (const line of live.replace(/\n$/, '').split('\n')) this.print(`${label.padEnd(15)} ${line}`.trimEnd());
  }

  /**
   * Plays independent acts at once (two labs, say), each in a scene of its own that normalises as
   * this one does, and keeps their lines and commands in the order given, as if played one after
   * another: the first act's lines print as they come, each later act's once those before it are done.
   */
  async together(...acts: Array<(scene: Scene) => Promise<void>>): Promise<void> {
    const output = new OrderedOutput((text) => this.print(text));
    const inherited = this.replacements.length;
    const played = acts.map((act) => {
      const part = output.part();
      const scene = new Scene(this.area, (line) => part.print(line));
      scene.replacements.push(...this.replacements);
      scene.omissions.push(...this.omissions);
      for (const [port, shown] of this.shownPorts) scene.shownPorts.set(port, shown);
      return { scene, done: act(scene).finally(() => part.finish()) };
    });
    const results = await Promise.allSettled(played.map(({ done }) => done));
    // Its lines and commands join this scene's, and so does how it normalised them: shownArg() must
    // show an act's command as the act did.
    for (const { scene } of played) {
      this.lines.push(...scene.lines);
      this.commands.push(...scene.commands);
      for (const [port, shown] of scene.shownPorts) this.shownPorts.set(port, shown);
      this.replacements.push(...scene.replacements.slice(inherited));
    }
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** A remark of the tour's own, not printed by any program. */
  note(text: string): void {
    this.say('', `(${text})`);
  }

  /** Every command this scene showed, with what really ran: the tour's spec holds one to the other. */
  readonly commands: ShownCommand[] = [];

  /**
   * One argument as the transcript shows it: a server's real port as its documented default (alone
   * or in a URL), this run's temporary folder left out.
   */
  shownArg(arg: string): string {
    return this.normalise(this.withShownPort(arg));
  }

  /** A bare port number of this run as its documented default; say() normalises the rest of a line. */
  private withShownPort(arg: string): string {
    const port = /^\d+$/.test(arg) ? this.shownPorts.get(Number(arg)) : undefined;
    return port === undefined ? arg : String(port);
  }

  /** The command line as the README shows it, and as this run really typed it. */
  private command(name: string, step: ClientStep, added: string[] = []): [string, string] {
    const args = step.args ?? [];
    const isolation = [...added, ...(step.isolation ?? [])];
    const ran = [...isolation, ...args];
    const file = `examples/${step.area ?? this.area}/src/${name}.ts`;
    const pipe = step.input ? `printf ${shellWords([step.input.replace(/\n/g, '\\n')])} |` : undefined;
    const redirect = step.input === '' ? '< /dev/null' : undefined;
    const env = Object.entries(step.env ?? {}).map(([name, value]) => `${name}=${shellWords([value])}`);
    const line = (words: string[]) =>
      `$ ${[pipe, ...env, `node ${file}`, shellWords(words), redirect].filter(Boolean).join(' ')}`;
    const shown = line(args.map((arg) => this.withShownPort(arg)));
    this.commands.push({ shown: this.normalise(shown), args, isolation });
    return [shown, line(ran)];
  }

  /** What a step really passes: its isolation flags, then its shown arguments. */
  private argsRun(step: ProgramStep): string[] {
    return [...(step.isolation ?? []), ...(step.args ?? [])];
  }

  private file(name: string, area = this.area): string {
    return path.join(examplesRoot, area, 'src', `${name}.ts`);
  }

  /** Starts a server; its real port will be shown as `defaultPort`. */
  async start(name: string, defaultPort: number, step: ProgramStep = {}): Promise<ShownServer> {
    const server = await startServer(this.file(name, step.area), { args: this.argsRun(step), cwd: step.cwd });
    this.shownPorts.set(server.port, defaultPort);
    // The port it got is the one it runs on: shown as defaultPort, and typed that way it does the same.
    const shownStep = step.showPort ? { ...step, args: ['--port', String(server.port), ...(step.args ?? [])] } : step;
    this.say(name, ...this.command(name, shownStep, step.showPort ? [] : ['--port', '0']));
    const shown = { server, label: name, linesShown: 0 };
    // Up to its readiness line: what it prints after that (a client that was quicker than this
    // scene, say) comes with the next waitFor() or stop(), in the same place in every run.
    this.showNewLines(shown, server.stdoutLines.findIndex((line) => readinessPattern.test(line)) + 1);
    return shown;
  }

  /** Starts a long-running client (one without a readiness line) and shows its first line. */
  async background(name: string, step: ProgramStep = {}): Promise<ShownServer> {
    const [typed, real] = this.command(name, step);
    this.say(name, `${typed} &`, `${real} &`);
    const options = { args: this.argsRun(step), cwd: step.cwd, openStdin: step.openStdin };
    const program = spawnProgram(this.file(name, step.area), options);
    await program.waitForLine(/./);
    const shown = { server: program as Server, label: name, linesShown: 0 };
    this.showNewLines(shown, 1);
    return shown;
  }

  /** Ends a background client's stdin as Ctrl+D does and shows the rest of what it prints, and its exit code. */
  async finish(shown: ShownServer): Promise<void> {
    this.say(shown.label, '^D');
    shown.server.stdin?.end();
    const result = await shown.server.exited;
    this.showNewLines(shown, shown.server.stdoutLines.length);
    if (result.stderr) this.say(shown.label, result.stderr);
    if (result.exitCode !== 0) this.say(shown.label, `(exit ${result.exitCode ?? result.signal})`);
  }

  /** Runs a client to the end and shows what it printed, and its exit code when not 0. */
  async run(name: string, step: ClientStep = {}): Promise<ProgramResult> {
    this.say(name, ...this.command(name, step));
    const options = { args: this.argsRun(step), cwd: step.cwd, input: step.input, env: step.env };
    const result = await runProgram(this.file(name, step.area), options);
    if (result.stdout) this.say(name, result.stdout);
    if (result.stderr) this.say(name, result.stderr);
    if (result.exitCode !== 0) this.say(name, `(exit ${result.exitCode ?? result.signal})`);
    return result;
  }

  /** Requests `path` from an HTTP server and shows it as `curl -s` would print it. */
  async curl(shown: ShownServer, path: string): Promise<HttpReply> {
    this.say('curl', `$ curl -s http://127.0.0.1:${shown.server.port}${path}`);
    const reply = await httpGet(shown.server.port, path, { timeoutMs: 30_000 });
    this.say('curl', reply.body);
    return reply;
  }

  /** Connects to a line-protocol server (or a port that leads to one) as `nc` would, to type lines and see replies. */
  async nc(target: ShownServer | number): Promise<NcSession> {
    const port = typeof target === 'number' ? target : target.server.port;
    this.say('nc', `$ nc 127.0.0.1 ${this.shownPorts.get(port)}`, `$ nc 127.0.0.1 ${port}`);
    return new NcSession(this, await LineClient.open(port));
  }

  /** Waits for the server's next line matching `pattern` and shows everything up to it. */
  async waitFor(shown: ShownServer, pattern: RegExp): Promise<void> {
    const index = await shown.server.waitForLine(pattern, { from: shown.linesShown });
    this.showNewLines(shown, index + 1);
  }

  /**
   * Stops a server the way a learner does, with Ctrl+C (SIGINT), and shows its last lines; lines
   * matching `hide` (a busy connection log, say) are counted instead of shown.
   */
  async stop(shown: ShownServer, { hide }: { hide?: RegExp } = {}): Promise<void> {
    const result = await shown.server.stop({ signal: 'SIGINT' });
    // What the server printed before the signal comes before the ^C.
    const lines = shown.server.stdoutLines;
    const stoppedAt = lines.findIndex((line, index) => index >= shown.linesShown && /^SIG(INT|TERM)/.test(line));
    const hidden = hide ? lines.slice(shown.linesShown, stoppedAt).filter((line) => hide.test(line)) : [];
    // (A program without such a line, an agent say, printed everything after the ^C.)
    this.showNewLines(shown, stoppedAt === -1 ? shown.linesShown : stoppedAt, hide);
    if (hidden.length > 0) this.note(`${hidden.length} lines of connection log not shown`);
    this.say(shown.label, '^C');
    this.showNewLines(shown, shown.server.stdoutLines.length);
    if (result.stderr) this.say(shown.label, result.stderr);
    if (result.exitCode !== 0) this.say(shown.label, `(exit ${result.exitCode ?? result.signal})`);
  }

  private showNewLines(shown: ShownServer, upTo: number, hide?: RegExp): void {
    const fresh = shown.server.stdoutLines.slice(shown.linesShown, upTo).filter((line) => !hide?.test(line));
    if (fresh.length > 0) this.say(shown.label, fresh.join('\n'));
    shown.linesShown = upTo;
  }
}

/** A terminal running `nc`: what is typed is shown after "> ", what arrives as is. */
export class NcSession {
  private shownLines = 0;

  private readonly scene: Scene;
  readonly client: LineClient;

  constructor(scene: Scene, client: LineClient) {
    this.scene = scene;
    this.client = client;
  }

  type(line: string): void {
    this.scene.say('nc', `> ${line}`);
    this.client.send(line);
  }

  /** Waits for a line matching `pattern` and shows every line received up to it. */
  async showUntil(pattern: RegExp): Promise<void> {
    const line = await this.client.waitFor(pattern, { from: this.shownLines });
    const upTo = this.client.lines.indexOf(line, this.shownLines) + 1;
    for (const received of this.client.lines.slice(this.shownLines, upTo)) this.scene.say('nc', received);
    this.shownLines = upTo;
  }
}

export interface Scenario {
  area: string;
  title: string;
  play(scene: Scene): Promise<void>;
}
