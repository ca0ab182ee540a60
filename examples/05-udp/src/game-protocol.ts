/**
 * The game's datagrams, version 1: what game-server.ts, game-client.ts and their discovery send. Binary and
 * big-endian; every datagram starts with the same four bytes, "NG", the version and the message type, so stray
 * traffic is told apart at once. The README draws each message. Every decoder checks the length and each value and
 * returns undefined for anything else: on UDP anyone can send anything, so a bad datagram is counted and ignored,
 * never trusted and never a crash.
 */
export const protocolVersion = 1;
/** A join is padded to this size, and no answer to it is bigger, so the server cannot amplify an attack. */
export const joinBytes = 64;
export const maxNameBytes = 12;
/** An input carries the newest unacknowledged moves, at most this many, so one lost datagram loses nothing. */
export const maxMovesPerInput = 8;

export type Move = 1 | 2 | 3 | 4; // up, down, left, right
export interface PlayerState {
  id: number;
  name: string;
  x: number;
  y: number;
  score: number;
  /** The newest input of this player the server has taken into account. */
  ack: number;
}
export type Message =
  | { type: 'join'; version: number; name: string }
  | { type: 'welcome'; player: number; token: number; width: number; height: number; tickMs: number }
  | { type: 'refused'; reason: string }
  | { type: 'input'; player: number; token: number; firstSequence: number; moves: Move[] }
  | { type: 'snapshot'; tick: number; coinX: number; coinY: number; players: PlayerState[] }
  | { type: 'leave'; player: number; token: number }
  | { type: 'over'; reason: string }
  | { type: 'announce'; name: string; players: number; maxPlayers: number };

/**
 * Each message's fields in order after the 4-byte header ("NG", version, type = position here + 1).
 * A number is unsigned big-endian of 1, 2 or 4 bytes; text is a length byte then ASCII; a list is a
 * count byte then its items. The README draws the same layouts.
 */
type Field = readonly [name: string, kind: 1 | 2 | 4 | 'name' | 'reason' | 'moves' | 'players'];
// biome-ignore format: one message per line, like the table in the README.
const layouts: Record<Message['type'], readonly Field[]> = {
  join: [['name', 'name']], // then zeros up to joinBytes
  welcome: [['player', 1], ['token', 4], ['width', 1], ['height', 1], ['tickMs', 2]],
  refused: [['reason', 'reason']],
  input: [['player', 1], ['token', 4], ['firstSequence', 4], ['moves', 'moves']],
  snapshot: [['tick', 4], ['coinX', 1], ['coinY', 1], ['players', 'players']],
  leave: [['player', 1], ['token', 4]],
  over: [['reason', 'reason']],
  announce: [['name', 'name'], ['players', 1], ['maxPlayers', 1]],
};
// biome-ignore format: one line, like the table in the README.
const playerLayout: readonly Field[] = [['id', 1], ['x', 1], ['y', 1], ['score', 2], ['ack', 4], ['name', 'name']];
const types = Object.keys(layouts) as Message['type'][];

/** Names are letters, digits, - and _: nothing a terminal could take for a command. */
export const validName = (name: string) => new RegExp(`^[A-Za-z0-9_-]{1,${maxNameBytes}}$`).test(name);
/** A reason is printable ASCII, short enough that a refusal is never bigger than a join. */
const validReason = (text: string) => text.length <= joinBytes - 5 && /^[ -~]*$/.test(text);

function valid(kind: Field[1], value: unknown): boolean {
  if (kind === 'name') return validName(value as string);
  if (kind === 'reason') return validReason(value as string);
  if (kind === 'players') return !(value as unknown[]).includes(undefined);
  if (kind === 'moves')
    return (
      (value as number[]).length <= maxMovesPerInput && (value as number[]).every((move) => move >= 1 && move <= 4)
    );
  return true;
}

export function encode(message: Message): Buffer {
  const version = message.type === 'join' ? message.version : protocolVersion;
  const bytes = [0x4e, 0x47, version, types.indexOf(message.type) + 1];
  const write = (fields: readonly Field[], values: Record<string, unknown>) => {
    for (const [name, kind] of fields) {
      const value = values[name];
      if (typeof kind === 'number') {
        for (let shift = (kind - 1) * 8; shift >= 0; shift -= 8) bytes.push(((value as number) >>> shift) & 0xff);
      } else if (kind === 'name' || kind === 'reason') {
        bytes.push((value as string).length, ...Buffer.from(value as string, 'latin1'));
      } else {
        bytes.push((value as unknown[]).length);
        for (const item of value as unknown[])
          kind === 'moves' ? bytes.push(item as Move) : write(playerLayout, item as Record<string, unknown>);
      }
    }
  };
  write(layouts[message.type], message);
  while (message.type === 'join' && bytes.length < joinBytes) bytes.push(0);
  return Buffer.from(bytes);
}

/** Reads a message, or returns undefined when the datagram is not exactly one well-formed message. */
export function decode(datagram: Buffer): Message | undefined {
  if (datagram.length < 4 || datagram.readUInt16BE(0) !== 0x4e47) return undefined;
  const [version, type] = [datagram.readUInt8(2), types[datagram.readUInt8(3) - 1]];
  // Only a join is read whatever its version: its layout stays the same in every version, so a
  // server can refuse a client of another version with a reason rather than with silence.
  if (type === undefined || (version !== protocolVersion && type !== 'join')) return undefined;
  let at = 4;
  const read = (fields: readonly Field[]): Record<string, unknown> | undefined => {
    const values: Record<string, unknown> = {};
    for (const [name, kind] of fields) {
      const size = typeof kind === 'number' ? kind : 1;
      if (at + size > datagram.length) return undefined;
      const number = datagram.readUIntBE(at, size);
      at += size;
      if (typeof kind === 'number') values[name] = number;
      else if (kind === 'players') values[name] = Array.from({ length: number }, () => read(playerLayout));
      else {
        const bytes = datagram.subarray(at, at + number);
        at += number;
        values[name] = kind === 'moves' ? [...bytes] : bytes.toString('latin1');
      }
      if (at > datagram.length || !valid(kind, values[name])) return undefined;
    }
    return values;
  };
  const values = read(layouts[type]);
  // A join is exactly joinBytes long, padded with zeros; any other message ends where its fields do.
  const whole =
    type === 'join'
      ? datagram.length === joinBytes && datagram.subarray(at).every((byte) => byte === 0)
      : at === datagram.length;
  return values && whole ? ({ type, ...values, ...(type === 'join' && { version }) } as Message) : undefined;
}
