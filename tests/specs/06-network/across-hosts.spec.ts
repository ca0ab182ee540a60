/**
 * The other areas' programs across the lab's hosts, failing for the reasons tutorial 003 §8.1
 * gives: the address a server is bound to, a firewall that drops or refuses, no route, an absent
 * host, and the router's NAT. Each outcome is the programs' own line, asserted exactly.
 */
import { programFile } from '@netprog/shared/programs';
import { expect, it } from 'vitest';
import { describeLab, labFor } from '../../support/lab.ts';

const echoServer = programFile('01-socket', 'echo-server');
const echoClient = programFile('01-socket', 'echo-client');
const udpServer = programFile('05-udp', 'udp-server');
const udpClient = programFile('05-udp', 'udp-client');
const gameServer = programFile('05-udp', 'game-server');
const gameClient = programFile('05-udp', 'game-client');
const refused = (address: string) => `error: ${address}: connection refused, is the server running? (ECONNREFUSED)\n`;

describeLab('across hosts', () => {
  it('127.0.0.1 is reached from its own host only; 0.0.0.0 from others over IPv4; :: over both', async () => {
    const lab = await labFor('two-hosts');
    const echo = (host: string, to: string, port: number) =>
      lab.run(host, echoClient, ['--host', to, '--port', String(port), 'hi']);
    const loopback = await lab.startServer('a', echoServer);
    expect((await echo('a', '127.0.0.1', loopback.port)).stdout).toBe('hi\n');
    expect((await echo('b', '10.0.1.10', loopback.port)).stderr).toBe(refused(`10.0.1.10:${loopback.port}`));

    const anyIpv4 = await lab.startServer('a', echoServer, ['--host', '0.0.0.0']);
    expect((await echo('b', '10.0.1.10', anyIpv4.port)).stdout).toBe('hi\n');
    expect((await echo('b', 'fd06:1::10', anyIpv4.port)).stderr).toBe(refused(`fd06:1::10:${anyIpv4.port}`));

    // "::" is every address, IPv6 and (dual stack) IPv4, which it shows as ::ffff:10.0.1.11.
    const any = await lab.startServer('a', echoServer, ['--host', '::']);
    expect(any.stdout).toBe(`listening on tcp://[::]:${any.port}\n`);
    expect((await echo('b', 'fd06:1::10', any.port)).stdout).toBe('hi\n');
    expect((await echo('b', '10.0.1.10', any.port)).stdout).toBe('hi\n');
    await any.waitForLine(/^connected fd06:1::11:\d+ \(1 open\)$/);
    await any.waitForLine(/^connected ::ffff:10\.0\.1\.11:\d+ \(1 open\)$/);
  });

  it('a firewall that drops makes the client wait out its timeout; one that rejects is refused at once', async () => {
    const lab = await labFor('two-hosts');
    const server = await lab.startServer('a', echoServer, ['--host', '0.0.0.0']);
    const address = `10.0.1.10:${server.port}`;
    await lab.lab('fault', 'a', 'drop', `tcp:${server.port}`);
    const dropped = await lab.run('b', echoClient, [
      '--host',
      '10.0.1.10',
      '--port',
      String(server.port),
      '--timeout',
      '1500',
      'hi',
    ]);
    expect(dropped).toMatchObject({
      exitCode: 1,
      stdout: '',
      stderr: `error: timed out after 1500 ms waiting for ${address}\n`,
    });
    expect(dropped.elapsedMs).toBeGreaterThanOrEqual(1500);

    await lab.lab('clear', 'a');
    await lab.lab('fault', 'a', 'reject', `tcp:${server.port}`);
    const rejected = await lab.run('b', echoClient, ['--host', '10.0.1.10', '--port', String(server.port), 'hi']);
    expect(rejected).toMatchObject({ exitCode: 1, stdout: '', stderr: refused(address) });
    // The server never saw either attempt: the firewall stood in front of it.
    expect(server.stdoutLines).toEqual([`listening on tcp://0.0.0.0:${server.port}`]);
  });

  it('an absent host on the LAN is unreachable (no ARP answer); a network with no route, at once', async () => {
    const lab = await labFor('two-hosts');
    const absent = await lab.run('b', echoClient, ['--host', '10.0.1.99', '--port', '8080', 'hi']);
    expect(absent).toMatchObject({ exitCode: 1, stderr: 'error: 10.0.1.99:8080: host unreachable (EHOSTUNREACH)\n' });
    const noRoute = await lab.run('b', echoClient, ['--host', '10.0.2.20', '--port', '8080', 'hi']);
    expect(noRoute).toMatchObject({
      exitCode: 1,
      stderr: 'error: 10.0.2.20:8080: network unreachable (ENETUNREACH)\n',
    });
    // UDP has no handshake, yet the route is looked up when its socket connects.
    const udp = await lab.run('b', udpClient, ['--host', '10.0.2.20', '--port', '9090', 'hi']);
    expect(udp).toMatchObject({
      exitCode: 1,
      stdout: '',
      stderr: 'error: 10.0.2.20:9090: network unreachable (ENETUNREACH)\n',
    });
  });

  it("NAT: c sees the router, not a; c cannot reach a until the router forwards a port, and then a sees c's own address", async () => {
    const lab = await labFor('lan-wan');
    const onC = await lab.startServer('c', echoServer, ['--host', '::']);
    expect((await lab.run('a', echoClient, ['--host', '10.0.2.20', '--port', String(onC.port), 'out'])).stdout).toBe(
      'out\n',
    );
    await onC.waitForLine(/^connected ::ffff:10\.0\.2\.1:\d+ \(1 open\)$/);
    // IPv6 is routed, not translated: c sees a's own address.
    expect((await lab.run('a', echoClient, ['--host', 'fd06:2::20', '--port', String(onC.port), 'out'])).stdout).toBe(
      'out\n',
    );
    await onC.waitForLine(/^connected fd06:1::10:\d+ \(1 open\)$/);

    const onA = await lab.startServer('a', echoServer, ['--host', '0.0.0.0']);
    const inward = await lab.run('c', echoClient, ['--host', '10.0.1.10', '--port', String(onA.port), 'in']);
    expect(inward.stderr).toBe(`error: 10.0.1.10:${onA.port}: network unreachable (ENETUNREACH)\n`);
    await lab.lab('fault', 'r', 'forward', `tcp:${onA.port}`, `a:${onA.port}`);
    const forwarded = await lab.run('c', echoClient, ['--host', '10.0.2.1', '--port', String(onA.port), 'in']);
    expect(forwarded).toMatchObject({ exitCode: 0, stdout: 'in\n' });
    await onA.waitForLine(/^connected 10\.0\.2\.20:\d+ \(1 open\)$/);

    // UDP through NAT: the router remembers the outgoing datagram's ports, so the answer finds its way back.
    const udp = await lab.startServer('c', udpServer, ['--host', '0.0.0.0']);
    const asked = await lab.run('a', udpClient, ['--host', '10.0.2.20', '--port', String(udp.port), 'through NAT']);
    expect(asked).toMatchObject({ exitCode: 0, stderr: '' });
    expect(asked.stdout).toMatch(/^1: through NAT\nsent 1, answered 1,/);
    await udp.waitForLine(/^from 10\.0\.2\.1:\d+: 13 bytes \(first datagram from this sender\)$/);
  });

  it("a player behind NAT plays a game on c: the server's sender check holds, as the router keeps one port per player", async () => {
    const lab = await labFor('lan-wan');
    const server = await lab.startServer('c', gameServer, ['--host', '0.0.0.0', '--announce-every', '0']);
    const play = (name: string) =>
      lab.run('a', gameClient, [
        '--bot',
        '--seed',
        '5',
        '--moves',
        '20',
        '--name',
        name,
        '--host',
        '10.0.2.20',
        '--port',
        String(server.port),
      ]);
    const [first, second] = await Promise.all([play('one'), play('two')]);
    for (const bot of [first, second]) {
      expect(bot).toMatchObject({ exitCode: 0, stderr: '' });
      expect(bot.stdout).toMatch(/^inputs 20 in \d+ datagrams, acknowledged up to 20$/m);
    }
    // Both came from the router's one address, each from a port of its own; nothing was taken for spoofed.
    await server.waitForLine(/^joined one as player \d+ from 10\.0\.2\.1:\d+$/);
    await server.waitForLine(/^joined two as player \d+ from 10\.0\.2\.1:\d+$/);
    expect((await server.stop()).stdout).toMatch(/ignored malformed 0, spoofed 0, stale \d+, over rate 0\n/);
  });

  it("two LANs with the same addresses: a reaches b only through b's router's port forward, and b sees a's router", async () => {
    const lab = await labFor('two-lans');
    expect(lab.printed.stdout).toContain('\na    eth0 10.0.1.10/24 fd06:1::10/64 on lan1\n');
    expect(lab.printed.stdout).toContain('\nb    eth0 10.0.1.10/24 fd06:3::10/64 on lan2\n');
    const onB = await lab.startServer('b', echoServer, ['--host', '0.0.0.0']);
    const port = String(onB.port);
    // 10.0.1.10 is a's own address: dialled from a, it is a, where nothing listens.
    expect((await lab.run('a', echoClient, ['--host', '10.0.1.10', '--port', port, 'hi'])).stderr).toBe(
      refused(`10.0.1.10:${port}`),
    );
    const outside = await lab.lab('fault', 'r2', 'forward', `tcp:${port}`, `a:${port}`);
    expect(outside.stderr).toBe(`error: forward needs HOST:PORT of a host on r2's LAN (lan2); got 'a:${port}'\n`);
    await lab.lab('fault', 'r2', 'forward', `tcp:${port}`, `b:${port}`);
    const across = await lab.run('a', echoClient, ['--host', '10.0.2.2', '--port', port, 'across two NATs']);
    expect(across).toMatchObject({ exitCode: 0, stdout: 'across two NATs\n' });
    await onB.waitForLine(/^connected 10\.0\.2\.1:\d+ \(1 open\)$/);
  });

  it('exactly every 3rd datagram lost on the way to b: udp-client retries exactly those, and all are answered', async () => {
    const lab = await labFor('two-hosts');
    const server = await lab.startServer('b', udpServer, ['--host', '0.0.0.0']);
    await lab.lab('fault', 'b', 'every', '3');
    const result = await lab.run('a', udpClient, [
      '--host',
      '10.0.1.11',
      '--port',
      String(server.port),
      '--count',
      '10',
      '--timeout',
      '2000',
    ]);
    expect(result.exitCode).toBe(0);
    // Datagrams 3, 6, 9 and 12 of those arriving are dropped: the first tries of messages 3, 5, 7 and 9.
    // (A 2 s wait for each answer keeps a loaded machine's pauses from adding retries of its own.)
    expect(result.stdout).toMatch(
      /\nsent 14, answered 10, retried 4, duplicates ignored 0, late ignored 0, failed 0\n$/,
    );
    const stopped = await server.stop();
    expect(stopped.stdout).toMatch(/\nreceived 10 datagrams \(\d+ bytes\), answered 10\n/);
  });
  it("every 10th datagram to the player lost: the game's lost snapshots are the firewall's own count", async () => {
    const lab = await labFor('two-hosts');
    const server = await lab.startServer('a', gameServer, ['--host', '0.0.0.0', '--announce-every', '0']);
    await lab.lab('fault', 'b', 'every', '10');
    const bot = await lab.run('b', gameClient, [
      '--bot',
      '--seed',
      '3',
      '--moves',
      '40',
      '--host',
      '10.0.1.10',
      '--port',
      String(server.port),
    ]);
    expect(bot).toMatchObject({ exitCode: 0, stderr: '' });
    // Every move acknowledged all the same: each input repeats the moves not yet acknowledged.
    expect(bot.stdout).toMatch(/^inputs 40 in \d+ datagrams, acknowledged up to 40$/m);
    const lost = Number(/^snapshots \d+: lost (\d+), out of order 0, duplicates 0$/m.exec(bot.stdout)?.[1]);
    const dropped = Number(/-j DROP \((\d+) matched\)/.exec((await lab.lab('status')).stdout)?.[1]);
    expect(dropped).toBeGreaterThanOrEqual(3);
    // Snapshots are nearly all that reaches b. A drop can miss being a lost snapshot only twice:
    // a welcome sent again (the join repeats every 250 ms until one arrives), and a snapshot still
    // in flight when the bot said goodbye.
    expect(lost).toBeGreaterThanOrEqual(dropped - 2);
    expect(lost).toBeLessThanOrEqual(dropped);
  });
});
