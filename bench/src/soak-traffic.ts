/**
 * The soak's mixed traffic, one kind per server: well-formed requests checked for the right answer,
 * mixed with clients that give up half-way (resets, aborted uploads, dropped members). A round
 * throws only when the server answers wrongly or not at all; the client's own aborts are normal.
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';
import dgram from 'node:dgram';
import { GamePeer } from '@netprog/shared/game-peer';
import { LineClient } from '@netprog/shared/line-client';
import { programFile } from '@netprog/shared/programs';
import { connect, exchange, readToEnd } from '@netprog/shared/tcp';
import { udpExchange } from '@netprog/shared/udp';
import type { Move } from '../../examples/05-udp/src/game-protocol.ts';

export interface SoakSubject {
  name: string;
  file: string;
  args?: (ports: Map<string, number>) => string[];
  cwd?: string;
  round: (port: number, round: number) => Promise<void>;
}

const chance = (share: number) => Math.random() < share;

async function resetAfterSending(port: number, bytes: Buffer | string): Promise<void> {
  const socket = await connect(port);
  socket.on('error', () => {});
  socket.write(bytes, () => socket.resetAndDestroy());
}

async function expectHttp(port: number, path: string, status: number, init?: RequestInit): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { ...init, signal: AbortSignal.timeout(10_000) });
  await response.arrayBuffer();
  if (response.status !== status)
    throw new Error(`${init?.method ?? 'GET'} ${path}: ${response.status}, not ${status}`);
}

async function lineEcho(port: number): Promise<void> {
  if (chance(0.1)) return resetAfterSending(port, 'half a li');
  const lines = Array.from({ length: randomInt(1, 5) }, () => `${randomBytes(randomInt(1, 600)).toString('hex')}\n`);
  const reply = (await exchange(port, lines.join(''), { timeoutMs: 10_000 })).toString();
  if (!reply.startsWith(lines.join(''))) throw new Error('echo came back different');
}

const json = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** The servers and their traffic; `scratch` is a folder the caller removes (file-server's uploads go there). */
export function soakSubjects(scratch: string): SoakSubject[] {
  let members = 0;
  return [
    {
      name: 'hello-server',
      file: programFile('01-socket', 'hello-server'),
      round: async (port) => {
        const greeting = await readToEnd(await connect(port));
        if (greeting.toString() !== 'Hello, world!\n') throw new Error('wrong greeting');
      },
    },
    { name: 'echo-server', file: programFile('01-socket', 'echo-server'), round: lineEcho },
    {
      name: 'file-server',
      file: programFile('01-socket', 'file-server'),
      cwd: scratch,
      args: () => ['--dir', 'files'],
      round: async (port, round) => {
        const content = randomBytes(randomInt(0, 64 * 1024));
        const sha256 = createHash('sha256').update(content).digest('hex');
        const upload = Buffer.concat([
          Buffer.from(`SEND ${content.length} ${sha256} soak-${round % 20}.bin\n`),
          content,
        ]);
        if (chance(0.1)) return resetAfterSending(port, upload.subarray(0, upload.length >> 1));
        const answer = (await exchange(port, upload, { timeoutMs: 10_000 })).toString();
        if (!answer.startsWith('OK ')) throw new Error(`upload answered ${answer.slice(0, 80)}`);
      },
    },
    {
      name: 'offload-server',
      file: programFile('02-threads', 'offload-server'),
      round: async (port) => {
        await expectHttp(port, '/ping', 200);
        await expectHttp(port, `/cpu?ms=${randomInt(1, 10)}`, 200);
      },
    },
    {
      name: 'cluster-server',
      file: programFile('02-threads', 'cluster-server'),
      args: () => ['--workers', '2'],
      round: (port) => expectHttp(port, '/', 200),
    },
    { name: 'async-echo-server', file: programFile('03-async', 'async-echo-server'), round: lineEcho },
    {
      name: 'chat-server',
      file: programFile('03-async', 'chat-server'),
      round: async (port) => {
        const nick = `soak${members++ % 1000}`;
        const member = await LineClient.open(port);
        member.send(nick);
        await member.waitFor(new RegExp(`^welcome ${nick}!|^error: `));
        if (chance(0.2)) return member.close();
        for (let line = 0; line < 3; line++) member.send(`message ${line} ${'x'.repeat(randomInt(0, 200))}`);
        member.send('/quit');
        await member.waitForClose();
      },
    },
    {
      name: 'raw-server',
      file: programFile('04-framework', 'raw-server'),
      round: async (port) => {
        await expectHttp(port, '/', 200);
        await expectHttp(port, '/inspect', 200, { method: 'POST', body: randomBytes(randomInt(0, 8000)) });
        await expectHttp(port, '/nowhere', 404);
      },
    },
    {
      name: 'app',
      file: programFile('04-framework', 'app'),
      round: async (port, round) => {
        await expectHttp(port, '/', 200);
        await expectHttp(port, '/echo', 200, json({ message: `round ${round}` }));
        await expectHttp(port, '/echo', 400, json({ nothing: true }));
        const created = await fetch(`http://127.0.0.1:${port}/notes`, json({ text: `note ${round}` }));
        const { id } = (await created.json()) as { id: number };
        await expectHttp(port, `/notes/${id}`, 204, { method: 'DELETE' });
        await expectHttp(port, '/sleep?ms=5', 200);
      },
    },
    {
      name: 'udp-server',
      file: programFile('05-udp', 'udp-server'),
      round: async (port, round) => {
        const answer = await udpExchange(port, `${round} soak`, 5000);
        if (answer.toString() !== `${round} soak`) throw new Error('wrong echo');
      },
    },
    {
      name: 'lossy-relay',
      file: programFile('05-udp', 'lossy-relay'),
      args: (ports) => ['--target-port', String(ports.get('udp-server'))],
      // It drops 30 % on purpose, each way: an unanswered datagram is the lesson, not a failure.
      round: async (port, round) => {
        await udpExchange(port, `${round} via the relay`, 200).catch(() => {});
      },
    },
    {
      name: 'heartbeat-monitor',
      file: programFile('05-udp', 'heartbeat-monitor'),
      round: async (port, round) => {
        const socket = dgram.createSocket('udp4');
        const datagram = chance(0.1) ? randomBytes(randomInt(0, 300)) : `HEARTBEAT agent-${round % 50} ${round}\n`;
        await new Promise<void>((resolve) => socket.send(datagram, port, '127.0.0.1', () => resolve()));
        socket.close();
        await new Promise((resolve) => setTimeout(resolve, 20));
      },
    },
    {
      name: 'game-server',
      file: programFile('05-udp', 'game-server'),
      // A player joins, moves and sees the move acknowledged; most leave, one in fifty vanishes (the server
      // drops it after its idle timeout), and now and then one sends garbage first.
      round: async (port, round) => {
        const player = new GamePeer(port);
        try {
          if (chance(0.1)) await player.send(randomBytes(randomInt(0, 300)));
          const { player: id, token } = await player.join(`soak-${round % 1000}`);
          await player.send({ type: 'input', player: id, token, firstSequence: 2, moves: [randomInt(1, 5) as Move] });
          await player.next('snapshot', (snapshot) => snapshot.players.some((p) => p.id === id && p.ack === 2));
          if (!chance(0.02)) await player.send({ type: 'leave', player: id, token });
        } finally {
          player.close();
        }
      },
    },
  ];
}
