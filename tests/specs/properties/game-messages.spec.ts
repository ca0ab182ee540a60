/**
 * Properties of the game's datagrams and of the bookkeeping on each side: every message round-trips
 * and nothing else decodes; no answer to a join is bigger than the join; the server takes each
 * numbered move at most once however the network mangles the inputs; and the client's prediction,
 * reconciled with the server's acknowledgements, is always where its moves lead.
 */
import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { MoveLog } from '../../../examples/05-udp/src/game-moves.ts';
import {
  decode,
  encode,
  joinBytes,
  type Message,
  type Move,
  maxMovesPerInput,
  maxNameBytes,
} from '../../../examples/05-udp/src/game-protocol.ts';
import { moved, spawnPoint } from '../../../examples/05-udp/src/game-rules.ts';
import { World } from '../../../examples/05-udp/src/game-world.ts';

const name = fc.stringMatching(new RegExp(`^[A-Za-z0-9_-]{1,${maxNameBytes}}$`));
const reason = fc.stringMatching(/^[ -~]{0,59}$/);
const byte = fc.integer({ min: 0, max: 255 });
const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const move = fc.constantFrom<Move>(1, 2, 3, 4);
const player = fc.record({ id: byte, name, x: byte, y: byte, score: u16, ack: u32 });
const message: fc.Arbitrary<Message> = fc.oneof(
  fc.record({ type: fc.constant('join' as const), version: fc.constant(1), name }),
  fc.record({
    type: fc.constant('welcome' as const),
    player: byte,
    token: u32,
    width: byte,
    height: byte,
    tickMs: u16,
  }),
  fc.record({ type: fc.constant('refused' as const), reason }),
  fc.record({
    type: fc.constant('input' as const),
    player: byte,
    token: u32,
    firstSequence: u32,
    moves: fc.array(move, { maxLength: maxMovesPerInput }),
  }),
  fc.record({
    type: fc.constant('snapshot' as const),
    tick: u32,
    coinX: byte,
    coinY: byte,
    players: fc.array(player, { maxLength: 40 }),
  }),
  fc.record({ type: fc.constant('leave' as const), player: byte, token: u32 }),
  fc.record({ type: fc.constant('over' as const), reason }),
  fc.record({ type: fc.constant('announce' as const), name, players: byte, maxPlayers: byte }),
);

test.prop([message])('every message round-trips, and fits well inside one datagram', (sent) => {
  const datagram = encode(sent);
  expect(decode(datagram)).toEqual(sent);
  expect(datagram.length).toBeLessThanOrEqual(1000);
});

test.prop([fc.oneof(fc.uint8Array({ maxLength: 300 }), message.map((m) => encode(m)).chain(mangled))])(
  'anything that decodes is exactly one message: its encoding gives back the same bytes',
  (bytes) => {
    const datagram = Buffer.from(bytes);
    const decoded = decode(datagram);
    if (decoded) expect(encode(decoded).equals(datagram)).toBe(true);
  },
);

/** A real message with one byte changed, cut short or lengthened: what a fuzzer would rarely build. */
function mangled(datagram: Buffer): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    fc.tuple(fc.nat(datagram.length - 1), byte).map(([at, value]) => {
      const copy = Buffer.from(datagram);
      copy[at] = value;
      return copy;
    }),
    fc.nat(datagram.length).map((length) => datagram.subarray(0, length)),
    byte.map((extra) => Buffer.concat([datagram, Buffer.from([extra])])),
  );
}

test.prop([reason, fc.record({ player: byte, token: u32, width: byte, height: byte, tickMs: u16 })])(
  'no answer to a join is bigger than the join, so a forged sender gains nothing',
  (why, welcome) => {
    expect(encode({ type: 'refused', reason: why }).length).toBeLessThanOrEqual(joinBytes);
    expect(encode({ type: 'welcome', ...welcome }).length).toBeLessThanOrEqual(joinBytes);
  },
);

// A client's input windows, each delivered any number of times (0: lost) and in any order.
const mangledInputs = fc.array(move, { minLength: 1, maxLength: 60 }).chain((moves) =>
  fc.record({
    moves: fc.constant(moves),
    copies: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: moves.length, maxLength: moves.length }),
    order: fc.array(fc.nat(), { minLength: moves.length * 3, maxLength: moves.length * 3 }),
  }),
);

test.prop([mangledInputs])('the server takes each numbered move at most once, whatever the network does', (input) => {
  const world = new World({ maxPlayers: 1, inputRate: 1000 });
  const joined = world.join('p', { address: '127.0.0.1', port: 1 }, 0);
  if (!('player' in joined)) throw new Error(joined.refused);
  const log = new MoveLog();
  const windows = input.moves.flatMap((next, index) => {
    log.add(next);
    return Array<ReturnType<MoveLog['window']>>(input.copies[index] ?? 0).fill(log.window());
  });
  const shuffled = windows
    .map((window, index) => ({ window, key: input.order[index] ?? 0 }))
    .sort((a, b) => a.key - b.key);
  const newest = Math.max(0, ...windows.map((w) => w.firstSequence + w.moves.length - 1));
  for (const { window } of shuffled) {
    world.takeMoves(joined.player, window.firstSequence, window.moves);
  }
  expect(joined.player.moves.length).toBeLessThanOrEqual(input.moves.length);
  expect(joined.player.ack).toBe(newest);
  // Delivered once each and in order, every move is taken.
  const inOrder = new World({ maxPlayers: 1, inputRate: 1000 });
  const again = inOrder.join('p', { address: '127.0.0.1', port: 1 }, 0);
  if (!('player' in again)) throw new Error(again.refused);
  const replay = new MoveLog();
  for (const next of input.moves) {
    replay.add(next);
    const { firstSequence, moves } = replay.window();
    inOrder.takeMoves(again.player, firstSequence, moves);
  }
  expect(again.player.moves).toEqual(input.moves);
});

// The client moves at will; now and then a snapshot comes back (at the latest once 8 moves wait,
// since older ones would be given up). The prediction must always be where all its moves lead.
test.prop([fc.array(fc.tuple(move, fc.boolean()), { minLength: 1, maxLength: 100 })])(
  'prediction plus reconciliation is always where the moves lead',
  (steps) => {
    const world = new World({ maxPlayers: 1, inputRate: 1000 });
    const joined = world.join('p', { address: '127.0.0.1', port: 1 }, 0);
    if (!('player' in joined)) throw new Error(joined.refused);
    const server = joined.player;
    const log = new MoveLog();
    let truth = spawnPoint(server.id);
    let reported = { x: server.x, y: server.y };
    for (const [next, delivered] of steps) {
      log.add(next);
      truth = moved(truth, next);
      if (delivered || log.unacknowledged === maxMovesPerInput) {
        const { firstSequence, moves } = log.window();
        world.takeMoves(server, firstSequence, moves);
        world.step(50);
        reported = { x: server.x, y: server.y };
        log.acknowledge(server.ack);
      }
      expect(log.predict(reported)).toEqual(truth);
    }
  },
);
