/**
 * cli.ts: the command-line contract every example follows (CONTRIBUTING.md at the repository root), written once.
 * Declare flags with `text`, `integer`, `duration`, `decimal`, `toggle`, `list`, `listenOn` or
 * `connectTo`; `parseFlags` returns their typed values, prints --help, and on an unknown flag (exit 2)
 * or a bad value (exit 1) prints one `error:` line. Also: the readiness line, the listen-failure line,
 * words for socket error codes, a peer's address, a flag's file read or refused in one line, network
 * text made safe to print, and what a repeated Ctrl+C does.
 * GENERATED: the canonical copy is shared/src/cli.ts, and `npm run sync` copies it beside each area's
 * programs, byte for byte: edit that one. It uses only node:*, so a copied folder runs on its own.
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';

type Kind = 'text' | 'integer' | 'decimal' | 'toggle' | 'list';
type Options = { env?: string; value?: string; min?: number; max?: number };
/** A declared flag; `T` is the type of its value, which only the compiler sees. */
type Flag<T> = Options & { kind: Kind; help: string; fallback?: string; type?: T };
type Values<F> = { [K in keyof F]: F[K] extends Flag<infer T> ? T : never };

function flag<T>(kind: Kind, help: string, fallback: unknown, options: Options): Flag<T> {
  return { kind, help, fallback: fallback === undefined ? undefined : String(fallback), ...options };
}
export function text(fallback: string, help: string, options?: Options): Flag<string>;
export function text(fallback: undefined, help: string, options?: Options): Flag<string | undefined>;
export function text(fallback: string | undefined, help: string, options: Options = {}) {
  return flag('text', help, fallback, { value: 'TEXT', ...options });
}
/** A whole number in decimal digits: `0x10`, `1e3` and an empty value are refused. */
export function integer(fallback: number, help: string, options?: Options): Flag<number>;
export function integer(fallback: undefined, help: string, options?: Options): Flag<number | undefined>;
export function integer(fallback: number | undefined, help: string, options: Options = {}) {
  return flag('integer', help, fallback, { value: 'N', min: 0, ...options });
}
/** Milliseconds, at least `min`, at most a day. */
export const duration = (fallback: number, help: string, min = 1) =>
  integer(fallback, help, { value: 'MS', min, max: 86_400_000 });
/** A number such as 0.25, from 0 to 1 unless told otherwise. */
export const decimal = (fallback: number, help: string, options: Options = {}) =>
  flag<number>('decimal', help, fallback, { value: 'X', min: 0, max: 1, ...options });
export const toggle = (help: string) => flag<boolean>('toggle', help, undefined, {});
/** A flag that may be given many times; its values in order. */
export const list = (help: string, value = 'TEXT') => flag<string[]>('list', help, undefined, { value });
/** --host and --port for a server: loopback by default, port 0 for any free port. */
export const listenOn = (port: number) => ({
  host: text('127.0.0.1', 'address to listen on', { env: 'HOST', value: 'HOST' }),
  port: integer(port, 'port to listen on, 0 for any free port', { env: 'PORT', value: 'PORT', max: 65535 }),
});
/** --host and --port for a client, with the same defaults as its server. */
export const connectTo = (port: number) => ({
  host: text('127.0.0.1', 'server address', { env: 'HOST', value: 'HOST' }),
  port: integer(port, 'server port', { env: 'PORT', value: 'PORT', min: 1, max: 65535 }),
});

/** Reads the command line (and $HOST, $PORT) against the declared flags, or exits saying why. */
export function parseFlags<F extends Record<string, Flag<unknown>>>(
  program: { name: string; about: string; positionals?: string },
  flags: F,
): Values<F> & { positionals: string[] } {
  // Flags are declared in camelCase (maxConnections) and typed in kebab-case (--max-connections).
  const declared = Object.entries(flags).map(([key, spec]) => {
    const name = key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
    return { key, name, spec, shown: `--${name}${spec.kind === 'toggle' ? '' : ` ${spec.value}`}` };
  });
  const usage = ['usage:', program.name, ...declared.map(({ shown }) => `[${shown}]`), '[--help]']
    .concat(program.positionals ?? [])
    .join(' ');
  const options: Record<string, { type: 'boolean' | 'string'; multiple?: boolean }> = { help: { type: 'boolean' } };
  for (const { name, spec } of declared) {
    options[name] = { type: spec.kind === 'toggle' ? 'boolean' : 'string', multiple: spec.kind === 'list' };
  }
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ options, allowPositionals: program.positionals !== undefined, strict: true });
  } catch (error) {
    // Node's message runs on over several sentences and says "option": keep its first sentence.
    const reason = (error as Error).message
      .split(/\. |\n/)[0]
      ?.replace(/^Unknown option/, 'unknown flag')
      .replace(/^Option '(--\S+) <value>' argument missing/, '$1 needs a value')
      .replace(/^\w/, (letter) => letter.toLowerCase());
    console.error(`error: ${reason}; ${usage}`);
    process.exit(2);
  }
  if (parsed.values.help) {
    const lines = declared.map(({ spec, shown }) => {
      const fallback = [spec.env && `$${spec.env}`, spec.fallback].filter(Boolean).join(' or ');
      return `  ${shown.padEnd(26)}${spec.help}${fallback ? ` (default: ${fallback})` : ''}`;
    });
    console.log([usage, '', program.about, '', ...lines, '  --help                    print this help'].join('\n'));
    process.exit(0);
  }
  const values: Record<string, unknown> = { positionals: parsed.positionals };
  for (const { key, name, spec } of declared) {
    const given = parsed.values[name] ?? (spec.env ? process.env[spec.env] : undefined) ?? spec.fallback;
    values[key] = spec.kind === 'list' ? (given ?? []) : check(`--${name}`, spec, given);
  }
  return values as Values<F> & { positionals: string[] };
}

/** One rule for every number: digits only (and one decimal point for a decimal), within bounds. */
function check(name: string, spec: Flag<unknown>, given: unknown): unknown {
  if (spec.kind === 'toggle') return given === true;
  if (given === undefined || spec.kind === 'text') return given;
  const text = String(given);
  const { min = 0, max = Number.MAX_SAFE_INTEGER } = spec;
  const digits = spec.kind === 'integer' ? /^\d+$/ : /^\d+(\.\d+)?$/;
  if (digits.test(text) && Number(text) >= min && Number(text) <= max) return Number(text);
  fail(`${name} must be ${spec.kind === 'integer' ? 'an integer' : 'a number'} from ${min} to ${max}, got '${text}'`);
}

/** A bad value or an expected failure: one `error:` line on stderr, exit 1, no stack trace. */
export function fail(message: string): never {
  console.error(`error: ${message}`);
  process.exit(1);
}

const reasons: Record<string, string> = {
  EADDRINUSE: 'address already in use',
  EACCES: 'permission denied',
  EADDRNOTAVAIL: 'address not available on this machine',
  ENOTFOUND: 'unknown host',
  EAI_AGAIN: 'host name lookup failed',
  ECONNREFUSED: 'connection refused, is the server running?',
  ECONNRESET: 'connection reset by the peer',
  EPIPE: 'connection closed by the peer while sending',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  // A TLS peer's certificate that failed verification:
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'certificate not signed by a trusted CA',
  SELF_SIGNED_CERT_IN_CHAIN: 'certificate not signed by a trusted CA',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  CERT_HAS_EXPIRED: 'certificate expired',
  ERR_TLS_CERT_ALTNAME_INVALID: 'certificate not valid for this host name',
};
/** Words a person can act on for a socket error: "address already in use (EADDRINUSE)". */
export function explain(error: NodeJS.ErrnoException): string {
  return error.code ? `${reasons[error.code] ?? error.message} (${error.code})` : error.message;
}

/** A server's start-up failure (port in use, permission, unknown host): one line, exit 1. */
export function cannotListen(error: NodeJS.ErrnoException, host: string, port: number): never {
  fail(`cannot listen on ${host.includes(':') ? `[${host}]` : host}:${port}: ${explain(error)}`);
}

/** A file a flag names (a key, a certificate): its bytes, or one line saying which file and why, exit 1. */
export function readFlagFile(file: string, hint = ''): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    fail(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code}${hint}`);
  }
}

/** A peer for the logs, `127.0.0.1:50312`; a client that reset at once may be gone, its address unknown. */
export function peerOf(socket: { remoteAddress?: string; remotePort?: number }): string {
  return socket.remoteAddress ? `${socket.remoteAddress}:${socket.remotePort}` : 'a client already gone';
}

/**
 * Text from the network, made safe to print. A terminal obeys the control characters it is sent,
 * so a peer's text could clear the screen, retitle the window or overwrite a line with a forged
 * one. Every C0 control but tab (a bare \r and the ESC that starts a sequence among them), DEL and
 * every C1 control is shown as a visible escape instead: ESC prints as \x1b.
 */
export function printable(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
  return text.replace(/[\x00-\x08\x0a-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** The readiness line, printed once the socket is bound: `listening on tcp://127.0.0.1:8080`. */
export function printListening(scheme: string, bound: AddressInfo | string | null): void {
  const { address, port, family } = bound as AddressInfo;
  console.log(`listening on ${scheme}://${family === 'IPv6' ? `[${address}]` : address}:${port}`);
}

let firstSignalAt: number | undefined;
/**
 * Call first in a SIGINT/SIGTERM handler. The first signal returns false: start stopping. The same
 * Ctrl+C relayed again within half a second (the tsx CLI does that when a program is slow to
 * acknowledge it) returns true: ignore it. A later signal prints one line and exits 1 at once.
 */
export function alreadyStopping(signal: NodeJS.Signals): boolean {
  if (firstSignalAt === undefined) {
    firstSignalAt = Date.now();
    return false;
  }
  if (Date.now() - firstSignalAt < 500) return true;
  console.log(`${signal} again: exiting now`);
  process.exit(1);
}
