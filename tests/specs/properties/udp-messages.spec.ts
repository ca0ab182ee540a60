/**
 * Properties of 05-udp's datagram handling: the heartbeat round-trips and nothing else counts as
 * one; the client matches answers by sequence number under any loss, duplication and reordering;
 * the relay's misbehaviour is the same for the same seed.
 */
import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { agentName, formatHeartbeat, parseHeartbeat } from '../../../examples/05-udp/src/heartbeat.ts';
import { fate, seededRandom } from '../../../examples/05-udp/src/misbehaviour.ts';
import { numbered, Replies } from '../../../examples/05-udp/src/replies.ts';

const name = fc.stringMatching(/^[A-Za-z0-9._-]{1,64}$/);

test.prop([name, fc.integer({ min: 0, max: 999_999_999_999_999 })])('a heartbeat round-trips', (agent, count) => {
  expect(parseHeartbeat(Buffer.from(formatHeartbeat(agent, count)))).toEqual({ name: agent, count });
});

test.prop([fc.uint8Array({ maxLength: 200 })])(
  'anything parsed as a heartbeat is exact, short and safely named',
  (bytes) => {
    const datagram = Buffer.from(bytes);
    const heartbeat = parseHeartbeat(datagram);
    if (heartbeat === undefined) return;
    expect(datagram.length).toBeLessThanOrEqual(128);
    expect(heartbeat.name).toMatch(agentName);
    expect(datagram.toString('latin1').replace(/\n$/, '')).toBe(
      formatHeartbeat(heartbeat.name, heartbeat.count).trim(),
    );
  },
);

test.prop([fc.string({ maxLength: 80 }), fc.string({ maxLength: 80 })])(
  'heartbeats with a bad name are ignored',
  (prefix, rest) => {
    fc.pre(!agentName.test(prefix));
    expect(parseHeartbeat(Buffer.from(`HEARTBEAT ${prefix} 1${rest}`))).toBeUndefined();
  },
);

// The network's worst: every answer any number of times (0 = lost), in any order, plus strays
// (some with a number we wait for, but not the bytes we sent).
const traffic = fc.array(fc.string({ maxLength: 20 }), { minLength: 1, maxLength: 20 }).chain((messages) =>
  fc.record({
    messages: fc.constant(messages),
    copies: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: messages.length, maxLength: messages.length }),
    strays: fc.array(
      fc.oneof(
        fc.string({ maxLength: 10 }),
        fc.integer({ min: 1, max: 99 }).map((n) => `${n} stray`),
      ),
      {
        maxLength: 5,
      },
    ),
    order: fc.array(fc.nat(), { maxLength: 100 }),
  }),
);

test.prop([traffic])('each message gets its own answer once, whatever is lost, duplicated or reordered', (network) => {
  const { messages, copies, strays, order } = network;
  // A stray is a datagram no message asked for: one that happens to be a message's exact answer
  // ("2 " for an empty message 2) is that answer, not a stray.
  fc.pre(!strays.some((stray) => messages.some((message, index) => stray === numbered(index + 1, message).toString())));
  const replies = new Replies();
  const got = new Map<number, string[]>();
  for (let sequence = 1; sequence <= messages.length; sequence++) {
    replies.waitFor(sequence, numbered(sequence, messages[sequence - 1] ?? '').toString(), (answer) =>
      got.set(sequence, [...(got.get(sequence) ?? []), answer]),
    );
  }
  const arriving = [
    ...messages.flatMap((message, index) => Array(copies[index]).fill(numbered(index + 1, message).toString())),
    ...strays,
  ];
  // Shuffle by the generated order (a permutation built from it).
  const shuffled = arriving
    .map((answer, index) => ({ answer, key: order[index] ?? index }))
    .sort((a, b) => a.key - b.key)
    .map(({ answer }) => answer);
  for (const answer of shuffled) replies.receive(answer);

  messages.forEach((message, index) => {
    if ((copies[index] ?? 0) === 0) expect(got.has(index + 1)).toBe(false);
    else expect(got.get(index + 1)).toEqual([numbered(index + 1, message).toString()]);
  });
  const duplicates = copies.reduce((sum, count) => sum + Math.max(0, count - 1), 0);
  expect(replies.duplicates).toBe(duplicates);
  expect(replies.late).toBe(strays.length);
});

const shares = fc.record({
  drop: fc.double({ min: 0, max: 1, noNaN: true }),
  duplicate: fc.double({ min: 0, max: 1, noNaN: true }),
  reorder: fc.double({ min: 0, max: 1, noNaN: true }),
});

test.prop([fc.integer({ min: 0, max: 2 ** 32 - 1 }), shares])('the same seed gives the same fates', (seed, chosen) => {
  const run = () => {
    const random = seededRandom(seed);
    return Array.from({ length: 200 }, () => fate(random, chosen));
  };
  expect(run()).toEqual(run());
});

test.prop([fc.integer({ min: 0, max: 2 ** 32 - 1 })])(
  'shares of 0 pass everything once and at once; a drop of 1 drops all',
  (seed) => {
    const random = seededRandom(seed);
    for (let i = 0; i < 100; i++) {
      expect(fate(random, { drop: 0, duplicate: 0, reorder: 0 })).toEqual({
        dropped: false,
        copies: 1,
        delayed: false,
      });
      expect(fate(random, { drop: 1, duplicate: 0, reorder: 0 })).toEqual({ dropped: true });
    }
  },
);

test.prop([fc.integer({ min: 0, max: 2 ** 32 - 1 })])(
  'the generator stays in [0, 1) and drops about the share asked',
  (seed) => {
    const random = seededRandom(seed);
    const draws = Array.from({ length: 2000 }, random);
    expect(draws.every((x) => x >= 0 && x < 1)).toBe(true);
    const dropped = draws.filter((x) => x < 0.3).length / draws.length;
    expect(Math.abs(dropped - 0.3)).toBeLessThan(0.06);
  },
);
