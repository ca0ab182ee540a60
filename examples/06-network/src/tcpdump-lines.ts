/**
 * One line of `tcpdump -n -tt -S` read into its parts, and a conversation's packets numbered the
 * way Wireshark shows them: sequence and acknowledgement numbers relative to each side's first
 * (its ISN, chosen at random by each kernel), so a handshake always reads seq 0, ack 1.
 */

export interface Packet {
  time: number;
  from: string;
  to: string;
  protocol: 'tcp' | 'udp' | 'fragment';
  flags: string[];
  seq?: number;
  ack?: number;
  length: number;
}

const flagNames: Record<string, string> = { S: 'SYN', F: 'FIN', R: 'RST', P: 'PSH', '.': 'ACK', U: 'URG' };
// "1701234567.123456 IP 10.0.1.11.41234 > 10.0.1.10.8080: Flags [S.], seq 1, ack 2, win 64240, …, length 0"
const address = String.raw`(\S+)\.(\d+)`;
const tcpLine = new RegExp(String.raw`^(\d+\.\d+) IP6? ${address} > ${address}: Flags \[([^\]]*)\](.*)$`);
const udpLine = new RegExp(String.raw`^(\d+\.\d+) IP6? ${address} > ${address}: UDP, (?:bad )?length (\d+)`);
// A fragment after the first carries no UDP header, so no ports: "IP 10.0.1.10 > 10.0.1.11: ip-proto-17".
const fragmentLine = /^(\d+\.\d+) IP (\S+) > (\S+): ip-proto-17\b/;

const join = (host: string, port: string) => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

/** Reads one tcpdump line, or undefined for a line that is not a packet of ours. */
export function parseLine(line: string): Packet | undefined {
  const tcp = tcpLine.exec(line);
  if (tcp) {
    const [, time, fromHost = '', fromPort = '', toHost = '', toPort = '', letters = '', rest = ''] = tcp;
    const number = (name: string) => {
      const found = new RegExp(`\\b${name} (\\d+)`).exec(rest)?.[1];
      return found === undefined ? undefined : Number(found);
    };
    return {
      time: Number(time),
      from: join(fromHost, fromPort),
      to: join(toHost, toPort),
      protocol: 'tcp',
      // Wireshark's order: SYN, FIN, RST, PSH, then ACK last.
      flags: [...letters]
        .map((letter) => flagNames[letter] ?? letter)
        .sort((a, b) => Number(a === 'ACK') - Number(b === 'ACK')),
      seq: number('seq'),
      ack: number('ack'),
      length: number('length') ?? 0,
    };
  }
  const udp = udpLine.exec(line);
  if (udp) {
    const [, time, fromHost = '', fromPort = '', toHost = '', toPort = '', length] = udp;
    return {
      time: Number(time),
      from: join(fromHost, fromPort),
      to: join(toHost, toPort),
      protocol: 'udp',
      flags: [],
      length: Number(length),
    };
  }
  const fragment = fragmentLine.exec(line);
  if (fragment) {
    const [, time, from = '', to = ''] = fragment;
    return { time: Number(time), from, to, protocol: 'fragment', flags: [], length: 0 };
  }
  return undefined;
}

/** Numbers packets as they come and writes each as a row a learner can follow. */
export class Conversation {
  private readonly first = new Map<string, number>();
  private startedAt: number | undefined;
  count = 0;

  describe(packet: Packet): string {
    this.count += 1;
    this.startedAt ??= packet.time;
    const when = `${((packet.time - this.startedAt) * 1000).toFixed(3).padStart(9)} ms`;
    const route = `${packet.from} > ${packet.to}`.padEnd(34);
    if (packet.protocol !== 'tcp') {
      const what = packet.protocol === 'udp' ? `UDP ${packet.length} bytes` : 'fragment: more of the datagram above';
      return `${String(this.count).padStart(3)} ${when}  ${route} ${what}`;
    }
    // Each side's first sequence number is its ISN: everything after is counted from it.
    if (packet.flags.includes('SYN') && packet.seq !== undefined) this.first.set(packet.from, packet.seq);
    const relative = (value: number | undefined, side: string) => {
      const base = this.first.get(side);
      return value === undefined ? '' : String(base === undefined ? value : (value - base + 2 ** 32) % 2 ** 32);
    };
    const seq = packet.seq === undefined ? '' : `seq ${relative(packet.seq, packet.from)}`;
    const ack = packet.flags.includes('ACK') ? `ack ${relative(packet.ack, packet.to)}` : '';
    const size = packet.length ? `${packet.length} bytes` : '';
    const parts = [
      packet.flags.join(' ').padEnd(12),
      seq.padEnd(10),
      ack.padEnd(10),
      size.padEnd(11),
      this.meaning(packet),
    ];
    return `${String(this.count).padStart(3)} ${when}  ${route} ${parts.join(' ')}`.trimEnd();
  }

  private awaitingThirdStep: string | undefined;

  /** What a packet means in the life of a connection, where its flags say. */
  private meaning({ flags, from, length }: Packet): string {
    const has = (flag: string) => flags.includes(flag);
    if (has('SYN') && !has('ACK')) return '(connect: handshake 1 of 3)';
    if (has('SYN')) {
      this.awaitingThirdStep = from;
      return '(accept: handshake 2 of 3)';
    }
    if (this.awaitingThirdStep !== undefined && this.awaitingThirdStep !== from && length === 0 && flags.length === 1) {
      this.awaitingThirdStep = undefined;
      return '(handshake 3 of 3: connected)';
    }
    if (has('RST')) return '(reset: no such connection here, or aborted)';
    if (has('FIN')) return '(no more data from this side)';
    return '';
  }
}
