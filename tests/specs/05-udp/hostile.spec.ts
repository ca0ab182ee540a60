/** Hostile datagrams against the servers of 05-udp (see support/hostile.ts). */
import dgram from 'node:dgram';
import { GamePeer } from '@netprog/shared/game-peer';
import type { Server } from '@netprog/shared/program';
import { programFile } from '@netprog/shared/programs';
import { udpExchange } from '@netprog/shared/udp';
import { afterAll, beforeAll, describe } from 'vitest';
import { encode } from '../../../examples/05-udp/src/game-protocol.ts';
import { checkHostileClients } from '../../support/hostile.ts';

async function expectUdpEcho(server: Server): Promise<void> {
  const answer = await udpExchange(server.port, 'still here?', 5000);
  if (answer.toString() !== 'still here?') throw new Error(`answered ${JSON.stringify(`${answer}`)}`);
}

describe('udp-server', () =>
  checkHostileClients({
    name: 'udp-server',
    file: programFile('05-udp', 'udp-server'),
    transport: 'udp',
    malformed: [Buffer.alloc(0), '\x1b[2J'],
    answers: expectUdpEcho,
  }));

let agent = 0;
describe('heartbeat-monitor', () =>
  checkHostileClients({
    name: 'heartbeat-monitor',
    file: programFile('05-udp', 'heartbeat-monitor'),
    transport: 'udp',
    malformed: [
      'HEARTBEAT \x1b[2Jweb 1',
      'HEARTBEAT web-1 99999999999999999999',
      `HEARTBEAT ${'a'.repeat(100)} 1`,
      'HEARTBEAT web-1',
      'HEARTBEAT web-1 1\n\n',
    ],
    answers: async (server) => {
      const name = `check-${agent++}`;
      const from = server.stdoutLines.length;
      const socket = dgram.createSocket('udp4');
      socket.send(`HEARTBEAT ${name} 1`, server.port, '127.0.0.1', () => socket.close());
      await server.waitForLine(new RegExp(`^up ${name} `), { from, timeoutMs: 5000 });
    },
  }));

describe('lossy-relay', () => {
  // The relay forwards to an echo made here, and misbehaves on nothing, so every answer must come.
  const echo = dgram.createSocket('udp4');
  echo.on('message', (datagram, sender) => echo.send(datagram, sender.port, sender.address));
  beforeAll(() => new Promise<void>((resolve) => echo.bind(0, '127.0.0.1', resolve)));
  afterAll(() => echo.close());
  checkHostileClients({
    name: 'lossy-relay',
    file: programFile('05-udp', 'lossy-relay'),
    transport: 'udp',
    options: () => ({
      args: ['--target-port', String(echo.address().port), '--drop', '0', '--duplicate', '0', '--reorder', '0'],
    }),
    malformed: [Buffer.alloc(0)],
    answers: expectUdpEcho,
  });
});

const game = (type: number, ...bytes: number[]) => Buffer.from([0x4e, 0x47, 1, type, ...bytes]);
describe('game-server', () =>
  checkHostileClients({
    name: 'game-server',
    file: programFile('05-udp', 'game-server'),
    transport: 'udp',
    options: { args: ['--announce-every', '0'] },
    malformed: [
      encode({ type: 'join', version: 1, name: 'ok' }).subarray(0, 20), // a join cut short
      Buffer.concat([game(1, 5), Buffer.from('\x1b[2J\x07'), Buffer.alloc(53)]), // a name with controls
      game(4, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 9), // player 1 with a guessed token and a move 9
      game(4, 1, 0, 0, 0, 0, 0, 0, 0, 1, 200), // 200 moves announced, none there
      encode({ type: 'snapshot', tick: 1, coinX: 0, coinY: 0, players: [] }), // a server's message
      Buffer.from([0x4e, 0x47, 2, 4, 1]), // another version's input
      game(99),
    ],
    answers: async (server) => {
      const player = new GamePeer(server.port);
      try {
        const welcome = await player.join('checker');
        await player.next('snapshot', (snapshot) => snapshot.players.some((p) => p.id === welcome.player));
        await player.send({ type: 'leave', player: welcome.player, token: welcome.token });
      } finally {
        player.close();
      }
    },
  }));
