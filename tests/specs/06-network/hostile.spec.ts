/** Hostile clients against 06-network's server, tcp-relay (see support/hostile.ts). */
import net from 'node:net';
import { programFile } from '@netprog/shared/programs';
import { afterAll, beforeAll, describe } from 'vitest';
import { expectEcho } from '../../support/checks.ts';
import { checkHostileClients } from '../../support/hostile.ts';

describe('tcp-relay', () => {
  // The relay slices and delays in front of an echo made here, so every hostile byte goes through
  // its queues and timers, and every well-formed request must still come back whole.
  const echo = net.createServer({ allowHalfOpen: true }, (socket) => {
    socket.on('error', () => socket.destroy());
    socket.pipe(socket);
  });
  beforeAll(() => new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve)));
  afterAll(() => new Promise<void>((resolve) => echo.close(() => resolve())));
  checkHostileClients({
    name: 'tcp-relay',
    file: programFile('06-network', 'tcp-relay'),
    transport: 'tcp',
    options: () => ({
      args: ['--target-port', String((echo.address() as net.AddressInfo).port), '--slice', '512', '--latency', '2'],
    }),
    malformed: ['\0', Buffer.alloc(256 * 1024, 'x')],
    answers: (server) => expectEcho(server.port, Buffer.from('still here\n')),
  });
});
