/**
 * watch on loopback: a real echo conversation captured by tcpdump reads as the three-way
 * handshake, the data and the close, numbered from each side's ISN; a closed port answers a SYN
 * with a reset; the side that closed first is left in TIME-WAIT. Needs root and tcpdump, as the lab does.
 */

import { watchFile } from '@netprog/shared/lab';
import { runProgram, spawnProgram, startServer } from '@netprog/shared/program';
import { programFile } from '@netprog/shared/programs';
import { expect, it } from 'vitest';
import { expectCleanStop } from '../../support/checks.ts';
import { describeLab, labFor } from '../../support/lab.ts';
import { freeTcpPort } from '../../support/ports.ts';

const echoServer = programFile('01-socket', 'echo-server');
const echoClient = programFile('01-socket', 'echo-client');
const udpServer = programFile('05-udp', 'udp-server');
const udpClient = programFile('05-udp', 'udp-client');

/** Starts watch and waits until tcpdump captures. */
async function watch(...args: string[]) {
  const watcher = spawnProgram(watchFile, { args });
  await watcher.waitForLine(/^capturing /);
  return watcher;
}
/** The rows of a capture: number, direction, flags, and the rest, split on the columns' spaces. */
const rows = (stdout: string) =>
  stdout
    .split('\n')
    .filter((line) => /^ {0,2}\d+ +\d+\.\d{3} ms /.test(line))
    .map((line) => line.replace(/^ *\d+ +\S+ ms +/, '').split(/ {2,}/));

describeLab('watch', () => {
  it('shows the handshake, the data and a half-close teardown of one echo, then TIME-WAIT on the side that closed first', async () => {
    const server = await startServer(echoServer);
    const watcher = await watch('--port', String(server.port));
    expect((await runProgram(echoClient, { args: ['--port', String(server.port), 'hi'] })).stdout).toBe('hi\n');
    // The last packet of the conversation: the client acknowledges the server's FIN (at seq 4).
    const to = `127.0.0.1:${server.port}`;
    await watcher.waitForLine(new RegExp(`> ${to.replace(/\./g, '\\.')} +ACK +ack 5$`));
    const result = await watcher.stop({ signal: 'SIGINT' });
    expect(result).toMatchObject({ exitCode: 0, stderr: '' });
    const client = /^ *1 .* (127\.0\.0\.1:\d+) > /m.exec(result.stdout)?.[1] ?? '';
    const packets = rows(result.stdout);
    expect(packets.slice(0, 3)).toEqual([
      [`${client} > ${to}`, 'SYN', 'seq 0', '(connect: handshake 1 of 3)'],
      [`${to} > ${client}`, 'SYN ACK', 'seq 0', 'ack 1', '(accept: handshake 2 of 3)'],
      [`${client} > ${to}`, 'ACK', 'ack 1', '(handshake 3 of 3: connected)'],
    ]);
    expect(packets[3]).toEqual([`${client} > ${to}`, 'PSH ACK', 'seq 1', 'ack 1', '3 bytes']);
    // The client half-closes first (FIN at seq 4, after its 3 bytes); the server still answers, then
    // closes. Whether the echo overtook the client's FIN (ack 4) or not (ack 1) is the scheduler's choice.
    const fins = packets.filter((row) => row[1]?.startsWith('FIN'));
    expect(fins).toEqual([
      [`${client} > ${to}`, 'FIN ACK', 'seq 4', expect.stringMatching(/^ack [14]$/), '(no more data from this side)'],
      [`${to} > ${client}`, 'FIN ACK', 'seq 4', 'ack 5', '(no more data from this side)'],
    ]);
    expect(packets.at(-1)).toEqual([`${client} > ${to}`, 'ACK', 'ack 5']);
    // How the data was acknowledged may vary (an ACK can ride on data); the count is what it was.
    expect(result.stdout).toMatch(
      new RegExp(`\\n${packets.length} packet\\(s\\)\\nTIME-WAIT ${client} > ${to}\\nstopped\\n$`),
    );
    await expectCleanStop(server);
  });

  it('a SYN to a closed port is answered by a reset, and the client says refused', async () => {
    const port = await freeTcpPort();
    const watcher = await watch('--port', String(port), '--count', '2');
    const refused = await runProgram(echoClient, { args: ['--port', String(port), 'hi'] });
    expect(refused.stderr).toBe(
      `error: 127.0.0.1:${port}: connection refused, is the server running? (ECONNREFUSED)\n`,
    );
    const result = await watcher.exited;
    const packets = rows(result.stdout);
    expect(packets.map((row) => row.slice(1))).toEqual([
      ['SYN', 'seq 0', '(connect: handshake 1 of 3)'],
      ['RST ACK', 'seq 0', 'ack 1', '(reset: no such connection here, or aborted)'],
    ]);
  });

  /**
   * udp-server on b, watch on a's wire, then udp-client on a sends MESSAGES; the capture's rows
   * once `rows` packets are in, as [route with a's port as <port>, what].
   */
  async function udpAcrossTheLab(fault: string[], messages: string[], expectedRows: number) {
    const lab = await labFor('two-hosts');
    const server = await lab.startServer('b', udpServer, ['--host', '0.0.0.0']);
    if (fault.length > 0) await lab.lab('fault', 'b', ...fault);
    const args = ['--interface', 'eth0', '--protocol', 'udp', '--port', String(server.port)];
    const watcher = lab.spawn('a', watchFile, args);
    await watcher.waitForLine(/^capturing udp port \d+ on eth0$/);
    const to = ['--host', '10.0.1.11', '--port', String(server.port), '--timeout', '2000'];
    const asked = await lab.run('a', udpClient, [...to, ...messages]);
    await watcher.waitForLine(new RegExp(`^ +${expectedRows} `));
    const captured = await watcher.stop({ signal: 'SIGINT' });
    const packets = rows(captured.stdout).map(([route, what]) => [
      route?.replace(/10\.0\.1\.10:\d+/g, '10.0.1.10:<port>'),
      what,
    ]);
    const b = `10.0.1.11:${server.port}`;
    return { asked, packets, out: `10.0.1.10:<port> > ${b}`, back: `${b} > 10.0.1.10:<port>` };
  }

  it('across the lab, a datagram lost on the way is a row with no answer, then the retry that got one', async () => {
    const { asked, packets, out, back } = await udpAcrossTheLab(['every', '2'], ['one', 'two'], 5);
    expect(asked.stdout).toMatch(/\nsent 3, answered 2, retried 1,/);
    // "2 two" reached b's wire, and b's firewall dropped it before udp-server could read it.
    const row = (route: string) => [route, 'UDP 5 bytes'];
    expect(packets).toEqual([row(out), row(back), row(out), row(out), row(back)]);
  });

  it('a datagram bigger than the MTU crosses in fragments: only the first carries the ports', async () => {
    // "1 " and 3000 bytes: 3002 bytes of UDP payload, 3010 with its header, 1480 to a fragment at MTU 1500.
    const { asked, packets, out, back } = await udpAcrossTheLab([], ['x'.repeat(3000)], 6);
    expect(asked.stdout).toMatch(/\nsent 1, answered 1,/);
    const rest = 'fragment: more of the datagram above';
    // A fragment after the first has no ports: its route is the hosts alone.
    expect(packets).toEqual([
      [out, 'UDP 3002 bytes'],
      ['10.0.1.10 > 10.0.1.11', rest],
      ['10.0.1.10 > 10.0.1.11', rest],
      [back, 'UDP 3002 bytes'],
      ['10.0.1.11 > 10.0.1.10', rest],
      ['10.0.1.11 > 10.0.1.10', rest],
    ]);
  });

  it('Ctrl+C stops the capture and sums up; a bad interface or protocol is one error line', async () => {
    const watcher = await watch('--port', '9');
    const stopped = await watcher.stop({ signal: 'SIGINT' });
    expect(stopped).toMatchObject({
      exitCode: 0,
      stdout: 'capturing tcp port 9 on lo\n0 packet(s)\nstopped\n',
      stderr: '',
    });

    const noSuch = await runProgram(watchFile, { args: ['--interface', 'nosuch0'] });
    expect(noSuch).toMatchObject({ exitCode: 1, stdout: '' });
    expect(noSuch.stderr).toMatch(/^error: tcpdump: nosuch0: [^\n]+\n$/);
    const sctp = await runProgram(watchFile, { args: ['--protocol', 'sctp'] });
    expect(sctp).toMatchObject({
      exitCode: 1,
      stdout: '',
      stderr: "error: --protocol must be tcp or udp, got 'sctp'\n",
    });
  });
});
