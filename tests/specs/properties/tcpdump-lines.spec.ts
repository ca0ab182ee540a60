/**
 * Properties of 06-network's tcpdump reader (watch): every TCP and UDP line tcpdump writes is read
 * back field for field, any other text is no packet and never a crash, and sequence numbers are
 * counted from each side's ISN across the 2^32 wrap, as Wireshark counts them.
 */
import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { Conversation, parseLine } from '../../../examples/06-network/src/tcpdump-lines.ts';

const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((parts) => parts.join('.'));
const ipv6 = fc.ipV6().filter((address) => !address.includes('.'));
const port = fc.integer({ min: 1, max: 65535 });
const sequence = fc.integer({ min: 0, max: 2 ** 32 - 1 });
const time = fc.integer({ min: 1_600_000_000, max: 1_900_000_000 }).map((seconds) => `${seconds}.123456`);
const letters = fc.subarray(['S', 'F', 'P', 'R', '.'], { minLength: 1 });

test.prop([time, fc.boolean(), ipv4, ipv6, port, port, letters, sequence, sequence, fc.nat(65535)])(
  'a TCP line is read back: addresses with ports, flags (ACK last), seq, ack, length',
  (at, six, address4, address6, from, to, flags, seq, ack, length) => {
    const host = six ? address6 : address4;
    const shown = (port: number) => (six ? `[${host}]:${port}` : `${host}:${port}`);
    const line = `${at} IP${six ? '6' : ''} ${host}.${from} > ${host}.${to}: Flags [${flags.join('')}], seq ${seq}:${seq + length}, ack ${ack}, win 502, options [nop,nop,TS val 1 ecr 2], length ${length}`;
    const packet = parseLine(line);
    expect(packet).toMatchObject({ from: shown(from), to: shown(to), protocol: 'tcp', seq, ack, length });
    expect(packet?.flags).toHaveLength(flags.length);
    if (flags.includes('.')) expect(packet?.flags.at(-1)).toBe('ACK');
  },
);

test.prop([time, ipv4, port, port, fc.nat(65507)])(
  'a UDP line is read back, whatever its length',
  (at, host, from, to, length) => {
    expect(parseLine(`${at} IP ${host}.${from} > ${host}.${to}: UDP, length ${length}`)).toMatchObject({
      from: `${host}:${from}`,
      to: `${host}:${to}`,
      protocol: 'udp',
      length,
    });
  },
);

test.prop([fc.string({ maxLength: 300 })])('any other text is no packet, and never throws', (text) => {
  const packet = parseLine(text);
  if (packet !== undefined) expect(text).toMatch(/^\d+\.\d+ IP6? /);
});

test.prop([sequence, sequence, fc.nat(100_000)])(
  'a handshake reads seq 0 / ack 1 both ways, and data is counted from the ISN across the wrap',
  (clientIsn, serverIsn, sent) => {
    const conversation = new Conversation();
    const row = (
      from: string,
      to: string,
      flags: string[],
      seq: number | undefined,
      ack: number | undefined,
      length = 0,
    ) => conversation.describe({ time: 1, from, to, protocol: 'tcp', flags, seq, ack, length });
    const wrap = (value: number) => value % 2 ** 32;
    expect(row('c:1', 's:2', ['SYN'], clientIsn, undefined)).toMatch(/ SYN +seq 0 /);
    expect(row('s:2', 'c:1', ['SYN', 'ACK'], serverIsn, wrap(clientIsn + 1))).toMatch(/ SYN ACK +seq 0 +ack 1 /);
    expect(row('c:1', 's:2', ['ACK'], undefined, wrap(serverIsn + 1))).toMatch(/ ACK +ack 1 +\(handshake 3 of 3/);
    expect(row('c:1', 's:2', ['FIN', 'ACK'], wrap(clientIsn + 1 + sent), wrap(serverIsn + 1))).toMatch(
      new RegExp(` FIN ACK +seq ${1 + sent} +ack 1 `),
    );
  },
);
