/**
 * lab: up, status, exec, faults and down, each mistake refused in one line, and nothing of a lab
 * left behind, whether it was taken down, failed half-way or was killed while it was being built.
 */
import { mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Lab, labFile, labNamespaces, nextLabNumber } from '@netprog/shared/lab';
import { runProgram, spawnProgram, typeScriptRunner } from '@netprog/shared/program';
import { programFile } from '@netprog/shared/programs';
import { execa, execaSync } from 'execa';
import { expect, it } from 'vitest';
import { describeLab, labFor } from '../../support/lab.ts';

const echoServer = programFile('01-socket', 'echo-server');
const echoClient = programFile('01-socket', 'echo-client');
const oneErrorLine = /^error: [^\n]+\n$/;
/** The namespaces of a lab known only by its number (one this spec started by hand). */
const namespacesOfLab = (number: string) => labNamespaces().filter((name) => name.startsWith(`lab${number}-`));

describeLab('lab', () => {
  it('up two-hosts builds a and b on one switch; b reaches a server on a; down removes all of it', async () => {
    const lab = await labFor('two-hosts');
    expect(lab.printed.stdout).toMatch(/^lab \d+ up: two-hosts \(a and b on one switch \(lan\)\) in \d+ commands\n/);
    expect(lab.printed.stdout).toContain('\na    eth0 10.0.1.10/24 fd06:1::10/64 on lan\n');
    expect(lab.printed.stdout).toContain('\nb    eth0 10.0.1.11/24 fd06:1::11/64 on lan\n');
    expect(labNamespaces()).toEqual(
      expect.arrayContaining(['a', 'b', 'lan'].map((name) => `lab${lab.number}-${name}`)),
    );

    const server = await lab.startServer('a', echoServer, ['--host', '0.0.0.0']);
    expect(server.stdout).toBe(`listening on tcp://0.0.0.0:${server.port}\n`);
    const reply = await lab.run('b', echoClient, [
      '--host',
      '10.0.1.10',
      '--port',
      String(server.port),
      'across the switch',
    ]);
    expect(reply).toMatchObject({ exitCode: 0, stdout: 'across the switch\n', stderr: '' });
    // The server saw b's own address: on one switch nothing stands between the two hosts.
    await server.waitForLine(/^connected 10\.0\.1\.11:\d+ \(1 open\)$/);

    // Down stops what still runs on the lab's hosts, then removes every namespace.
    const down = await lab.lab('down');
    expect(down.stdout).toMatch(/^lab \d+ down: stopped \d+ program\(s\) still running on its hosts, removed /);
    expect((await server.exited).exitCode).toBe(0);
    expect(lab.isUp()).toBe(false);
    expect((await lab.lab('status')).stderr).toBe(`error: lab ${lab.number} is not up\n`);
  });

  it('status shows each host, its routes, its firewall rules and faults, and the switches', async () => {
    const lab = await labFor('lan-wan');
    expect((await lab.lab('fault', 'b', 'every', '3')).stdout).toBe('b: every 3\n');
    expect((await lab.lab('fault', 'c', 'rate', '1mbit')).stdout).toBe('c: rate 1mbit\n');
    expect((await lab.lab('fault', 'a', 'mtu', '1280')).exitCode).toBe(0);
    expect((await lab.lab('fault', 'a', 'reject', 'udp:9090')).exitCode).toBe(0);
    const status = await lab.lab('status');
    expect(status.exitCode).toBe(0);
    const lines = status.stdout.split('\n');
    expect(lines[0]).toMatch(/^lab \d+: lan-wan \(a and b on a LAN; router r forwards and NATs to c on the WAN\)$/);
    expect(lines).toEqual(
      expect.arrayContaining([
        'a    eth0 10.0.1.10/24 fd06:1::10/64 on lan mtu 1280',
        '     routes: default via 10.0.1.1 (eth0), default via fd06:1::1 (eth0)',
        '     firewall: -A INPUT -p udp -m udp --dport 9090 -j REJECT --reject-with icmp-port-unreachable (0 matched)',
        '     firewall: -A INPUT -m statistic --mode nth --every 3 --packet 2 -j DROP (0 matched)',
        'r    eth0 10.0.1.1/24 fd06:1::1/64 on lan',
        '     eth1 10.0.2.1/24 fd06:2::1/64 on wan',
        '     firewall: -t nat -A POSTROUTING -o eth1 -j MASQUERADE (0 matched)',
        'c    eth0 10.0.2.20/24 fd06:2::20/64 on wan',
        '     routes: fd06:1::/64 via fd06:2::1 (eth0)',
        'lan  switch, ports a b r; multicast groups joined: none',
      ]),
    );
    expect(status.stdout).toMatch(/^ {5}shaping: qdisc tbf \S+ dev eth0 root .*rate 1Mbit/m);
    // clear takes a host's faults away and leaves the router's NAT alone.
    expect((await lab.lab('clear', 'a')).stdout).toBe('a: faults cleared\n');
    const cleared = (await lab.lab('status')).stdout;
    expect(cleared).toContain('\na    eth0 10.0.1.10/24 fd06:1::10/64 on lan\n     routes:');
    expect(cleared).not.toContain('9090');
    expect(cleared).toContain('-t nat -A POSTROUTING -o eth1 -j MASQUERADE (0 matched)');
  });

  it('refuses each mistake in one error line, exit 1, changing nothing', async () => {
    const lab = await labFor('two-hosts');
    const before = (await lab.lab('status')).stdout;
    const refusals: Array<[string[], RegExp]> = [
      [[], /^error: say what to do: up TOPOLOGY, down, status, exec HOST -- COMMAND\.\.\./],
      [['up', 'ring'], /^error: no topology 'ring'; the topologies: two-hosts, lan-wan, two-lans/],
      [['up', 'two-hosts'], /^error: lab \d+ is already up \(.*\); lab down first, or --lab N/],
      [['fault', 'z', 'loss', '0.1'], /^error: no host 'z' in lab \d+; its hosts: a, b/],
      [['fault', 'a', 'jam'], /^error: no fault 'jam'; the faults are: loss, every, rate, delay, link, mtu, drop/],
      [['fault', 'a', 'loss', '1.5'], /^error: loss takes a share from 0 to 1, got '1\.5'/],
      [['fault', 'a', 'drop', '8080'], /^error: expected tcp:PORT or udp:PORT, got '8080'/],
      [['fault', 'a', 'mtu', '100'], /^error: mtu takes a size from 1280/],
      [['fault', 'a', 'forward', 'tcp:80', 'b:80'], /^error: a is not a router: forward goes on one \(r\)/],
      [['fault', 'a', 'cut', 'a'], /^error: cut needs another host of this lab, got 'a'/],
      [['fault', 'a', 'cut', 'zz'], /^error: cut needs another host of this lab, got 'zz'/],
      [['exec', 'a'], /^error: exec needs a command: lab exec HOST -- COMMAND\.\.\./],
      [['teleport'], /^error: no verb 'teleport'; the verbs: up, down, status, exec, fault, clear/],
    ];
    for (const [args, message] of refusals) {
      const result = await lab.lab(...args);
      expect(result, args.join(' ')).toMatchObject({ exitCode: 1, stdout: '' });
      expect(result.stderr, args.join(' ')).toMatch(oneErrorLine);
      expect(result.stderr, args.join(' ')).toMatch(message);
    }
    expect((await lab.lab('status')).stdout).toBe(before);
  });

  it('delay uses netem where the kernel has it, and says so in one line where it has not', async () => {
    const lab = await labFor('two-hosts');
    // Asked of the kernel directly, inside the lab (never on the machine's own interfaces).
    const ns = `lab${lab.number}-a`;
    const hasNetem = execaSync('tc', ['-n', ns, 'qdisc', 'add', 'dev', 'lo', 'root', 'netem'], { reject: false });
    const delay = await lab.lab('fault', 'a', 'delay', '100ms');
    if (/unknown/i.test(hasNetem.stderr)) {
      expect(delay).toMatchObject({ exitCode: 1, stdout: '' });
      expect(delay.stderr).toBe(
        'error: a: this kernel has no netem (sch_netem), so no delay; tcp-relay.ts --latency delays TCP without it\n',
      );
    } else {
      expect(delay).toMatchObject({ exitCode: 0, stdout: 'a: delay 100ms\n' });
      expect((await lab.lab('status')).stdout).toMatch(/shaping: qdisc netem .* delay 100ms/);
    }
  });

  // As the user nobody, which must be able to read the checkout (a clone made with umask 022 is).
  const readableByAll = [labFile, fileURLToPath(import.meta.resolve('tsx'))].every((file) =>
    file.split(path.sep).every((_, index, parts) => {
      const partial = parts.slice(0, index + 1).join(path.sep) || path.sep;
      return (statSync(partial).mode & 0o005) !== 0;
    }),
  );
  it.skipIf(!readableByAll)(
    'run by a user who is not root, it says in one line that it needs root, and builds nothing',
    async () => {
      const asNobody = [
        '--reuid=65534',
        '--regid=65534',
        '--clear-groups',
        process.execPath,
        ...typeScriptRunner,
        labFile,
      ];
      const number = String(nextLabNumber());
      const result = await execa('setpriv', [...asNobody, '--lab', number, 'up', 'two-hosts'], { reject: false });
      expect(result).toMatchObject({ exitCode: 1, stdout: '' });
      expect(result.stderr).toBe(
        'error: the lab needs root to make network namespaces; run it with sudo (06-network/README.md says why)',
      );
      expect(namespacesOfLab(number)).toEqual([]);
    },
  );

  it('a lab that is not up: every verb says so, down included', async () => {
    const lab = await labFor('two-hosts');
    await lab.down();
    for (const args of [['down'], ['status'], ['fault', 'a', 'loss', '0.1'], ['exec', 'a', '--', 'true']]) {
      const result = await lab.lab(...args);
      expect(result).toMatchObject({ exitCode: 1, stdout: '', stderr: `error: lab ${lab.number} is not up\n` });
    }
  });

  it('two labs run side by side with the same addresses, each with its own faults', async () => {
    const [one, two] = [await labFor('two-hosts'), await labFor('two-hosts')];
    await one.lab('fault', 'a', 'reject', 'tcp:8080');
    const servers = [
      await one.startServer('a', echoServer, ['--host', '0.0.0.0']),
      await two.startServer('a', echoServer, ['--host', '0.0.0.0']),
    ];
    const reach = (lab: Lab, port: number) =>
      lab.run('b', echoClient, ['--host', '10.0.1.10', '--port', String(port), 'hi']);
    expect((await reach(two, servers[1]?.port ?? 0)).stdout).toBe('hi\n');
    // The same port number in the other lab: refused there, by its own firewall only.
    await one.lab('clear', 'a');
    await one.lab('fault', 'a', 'reject', `tcp:${servers[0]?.port}`);
    const refused = await reach(one, servers[0]?.port ?? 0);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(/connection refused, is the server running\? \(ECONNREFUSED\)\n$/);
  });

  it('a command that fails half-way through up leaves nothing behind', async () => {
    // A PATH with iproute2 and sysctl but no iptables: lan-wan's last step, the router's NAT, fails.
    const bin = mkdtempSync(path.join(tmpdir(), 'lab-path-'));
    try {
      for (const tool of ['ip', 'tc', 'bridge', 'sysctl']) {
        symlinkSync(execaSync('sh', ['-c', `command -v ${tool}`]).stdout.trim(), path.join(bin, tool));
      }
      const number = String(nextLabNumber());
      const result = await runProgram(labFile, { args: ['--lab', number, 'up', 'lan-wan'], env: { PATH: bin } });
      expect(result).toMatchObject({ exitCode: 1, stdout: '' });
      expect(result.stderr).toMatch(
        new RegExp(`^error: ip netns exec lab${number}-r iptables -t nat -A POSTROUTING -o eth1 -j MASQUERADE: .*\\n$`),
      );
      expect(namespacesOfLab(number)).toEqual([]);
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });

  it('a lab partly built (an up killed with SIGKILL) is recognised, refused by up, and removed by down', async () => {
    const lab = await labFor('two-hosts');
    await lab.down();
    // Killed in the middle of up: --show prints each command as it starts it.
    const killed = spawnProgram(labFile, { args: ['--lab', String(lab.number), '--show', 'up', 'lan-wan'] });
    await killed.waitForLine(/^\$ ip netns add lab\d+-a$/);
    killed.kill();
    await killed.exited;
    // However far it got, it had built the switches; taking the LAN's switch away makes
    // the lab partial for certain, even had the kill come after the last command.
    execaSync('ip', ['netns', 'delete', `lab${lab.number}-lan`]);
    const status = await lab.lab('status');
    expect(status).toMatchObject({
      exitCode: 1,
      stderr: `error: lab ${lab.number} is partly built (a killed run?): run lab down\n`,
    });
    expect((await lab.lab('up', 'two-hosts')).stderr).toMatch(/^error: lab \d+ is already up \(/);
    const down = await lab.lab('down');
    expect(down.exitCode).toBe(0);
    expect(down.stdout).toMatch(new RegExp(`^lab ${lab.number} down: removed .*lab${lab.number}-wan\\b`));
    expect(lab.isUp()).toBe(false);
  });

  it('link down unplugs a host (status says so, nothing gets through); link up plugs it back', async () => {
    const lab = await labFor('two-hosts');
    const server = await lab.startServer('a', echoServer, ['--host', '0.0.0.0']);
    const echo = () =>
      lab.run('b', echoClient, ['--host', '10.0.1.10', '--port', String(server.port), '--timeout', '1000', 'hi']);
    expect((await lab.lab('fault', 'a', 'link', 'down')).stdout).toBe('a: link down\n');
    expect((await lab.lab('status')).stdout).toContain('\na    eth0 10.0.1.10/24 fd06:1::10/64 on lan down\n');
    // Unplugged, a answers nothing: b's SYN goes unanswered (or b's ARP does, if it asks first).
    expect((await echo()).stderr).toMatch(
      /^error: (timed out after 1000 ms waiting for|10\.0\.1\.10:\d+: host unreachable)/,
    );
    await lab.lab('fault', 'a', 'link', 'up');
    expect((await echo()).stdout).toBe('hi\n');
    expect((await lab.lab('status')).stdout).toContain('\na    eth0 10.0.1.10/24 fd06:1::10/64 on lan\n');
  });
});
