/**
 * 05-udp's game found from another host, as tutorial 003 §2.1 describes multicast and broadcast:
 * announced on the LAN, heard by every host there that joined the group (the switch learns which
 * ports did), and by none past the router: multicast with TTL 1 and broadcast both stay on their LAN.
 */
import { programFile } from '@netprog/shared/programs';
import { expect, it } from 'vitest';
import { describeLab, labFor } from '../../support/lab.ts';

const gameServer = programFile('05-udp', 'game-server');
const gameClient = programFile('05-udp', 'game-client');

describeLab('multicast and broadcast', () => {
  it('b on the LAN finds the game on a by multicast, the switch shows b joined the group; c behind the router does not', async () => {
    const lab = await labFor('lan-wan');
    const server = await lab.startServer('a', gameServer, ['--host', '0.0.0.0', '--interface', '10.0.1.10']);
    expect(server.stdout).toContain(
      'announcing by multicast (TTL 1) to 239.255.77.77:9094 via 10.0.1.10 every 1000 ms\n',
    );
    const listing = lab.spawn('b', gameClient, ['--list', '--interface', '10.0.1.11', '--timeout', '5000']);
    await listing.waitForLine(
      new RegExp(`^found arena at 10\\.0\\.1\\.10:${server.port} \\(0 of 16 players, by multicast\\)$`),
    );
    // While b listens, its membership report has taught the switch to send the group to b's port.
    const status = await lab.lab('status');
    expect(status.stdout).toMatch(/^lan {2}switch, ports a b r; multicast groups joined: 239\.255\.77\.77 \(b\)$/m);
    expect(status.stdout).toMatch(/^wan {2}switch, ports r c; multicast groups joined: none$/m);
    expect((await listing.exited).exitCode).toBe(0);

    const past = await lab.run('c', gameClient, ['--list', '--interface', '10.0.2.20', '--timeout', '2500']);
    expect(past).toMatchObject({ exitCode: 1, stderr: 'error: no game announced within 2500 ms\n' });
    expect(past.stdout).toBe('looking for games on 239.255.77.77:9094 and 10.0.2.255:9094 via 10.0.2.20\n');
  });

  it('by broadcast: b hears it on the LAN, c past the router does not; c cannot even route to the game', async () => {
    const lab = await labFor('lan-wan');
    const server = await lab.startServer('a', gameServer, [
      '--host',
      '0.0.0.0',
      '--interface',
      '10.0.1.10',
      '--broadcast',
    ]);
    const found = await lab.run('b', gameClient, ['--list', '--interface', '10.0.1.11', '--timeout', '2500']);
    expect(found.exitCode).toBe(0);
    expect(found.stdout).toContain(`found arena at 10.0.1.10:${server.port} (0 of 16 players, by broadcast)\n`);
    const past = await lab.run('c', gameClient, ['--list', '--interface', '10.0.2.20', '--timeout', '2500']);
    expect(past.stderr).toBe('error: no game announced within 2500 ms\n');
    const direct = await lab.run('c', gameClient, ['--bot', '--host', '10.0.1.10', '--port', String(server.port)]);
    expect(direct.exitCode).toBe(1);
    expect(direct.stderr).toBe(`error: 10.0.1.10:${server.port}: network unreachable (ENETUNREACH)\n`);
  });
});
