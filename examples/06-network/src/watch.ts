/**
 * The wire, readable: captures the packets of one port with tcpdump and prints them as a numbered
 * conversation, with time, direction, flags, sequence and acknowledgement numbers counted from each
 * side's first, and what each step means. So the three-way handshake and the teardown of tutorial
 * 002 §3.1 can be watched as they happen, as its §6 does with Wireshark. Needs tcpdump, and root.
 *
 * Run:    sudo npx tsx examples/06-network/src/watch.ts --port 8080    (echo-server on 8080)
 * Try:    npx tsx examples/01-socket/src/echo-client.ts hi               (in another terminal)
 * Expect: "capturing tcp port 8080 on <interface>", then one row per packet: its time, the two ends, the flags,
 *         seq and ack, and what it means, from "(connect: handshake 1 of 3)" to the close
 * Stop:   Ctrl+C, --count packets or --timeout: prints "<n> packet(s)", any connections in TIME-WAIT, "stopped"
 */
import { execFileSync, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import * as cli from './cli.ts';
import { Conversation, parseLine } from './tcpdump-lines.ts';

const {
  interface: device,
  port,
  protocol,
  count,
  timeout,
} = cli.parseFlags(
  { name: 'watch', about: 'Prints the packets to and from one port as a numbered conversation (tcpdump underneath).' },
  {
    interface: cli.text('lo', 'the interface to capture on (in a lab host: eth0)', { value: 'NAME' }),
    port: cli.integer(8080, 'the port whose packets are shown', { value: 'PORT', min: 1, max: 65535 }),
    protocol: cli.text('tcp', 'tcp or udp', { value: 'PROTO' }),
    count: cli.integer(0, 'stop after N packets, 0 for no limit'),
    timeout: cli.duration(600_000, 'stop after MS at most'),
  },
);
if (protocol !== 'tcp' && protocol !== 'udp') cli.fail(`--protocol must be tcp or udp, got '${protocol}'`);

// A datagram bigger than the MTU is sent in fragments, and only the first carries the UDP ports:
// the others match "a fragment that is not the first" (a non-zero fragment offset).
const filter = protocol === 'udp' ? `udp port ${port} or (ip[6:2] & 0x1fff != 0)` : `tcp port ${port}`;
// -n: numbers, not names; -tt: epoch times; -S: absolute sequence numbers (we count from the ISN
// ourselves); -l: a line at a time; --immediate-mode: each packet as it comes, not in batches.
const args = [
  '-i',
  device,
  '-n',
  '-tt',
  '-S',
  '-l',
  '--immediate-mode',
  ...(count ? ['-c', String(count)] : []),
  filter,
];
const tcpdump = spawn('tcpdump', args, { stdio: ['ignore', 'pipe', 'pipe'] });
tcpdump.on('error', (error: NodeJS.ErrnoException) => {
  cli.fail(error.code === 'ENOENT' ? 'watch needs tcpdump (Debian/Ubuntu: apt install tcpdump)' : cli.explain(error));
});

// tcpdump says "listening on lo, …" once it captures: that is our readiness too. Anything else it
// says on stderr before that is why it could not start (no such interface, no permission).
let capturing = false;
createInterface({ input: tcpdump.stderr }).on('line', (line) => {
  if (!capturing && line.startsWith('listening on ')) {
    capturing = true;
    console.log(`capturing ${protocol} port ${port} on ${device}`);
  } else if (!capturing && !line.startsWith('tcpdump: verbose output suppressed')) {
    cli.fail(`tcpdump: ${line.replace(/^tcpdump: /, '')}`);
  }
});
const conversation = new Conversation();
createInterface({ input: tcpdump.stdout }).on('line', (line) => {
  const packet = parseLine(line);
  if (packet) console.log(conversation.describe(packet));
});

// However it ends, tcpdump is stopped with SIGINT (so it flushes) and we sum up.
const stopTimer = setTimeout(() => tcpdump.kill('SIGINT'), timeout);
function shutdown(signal: NodeJS.Signals): void {
  if (cli.alreadyStopping(signal)) return;
  tcpdump.kill('SIGINT');
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
tcpdump.on('exit', () => {
  clearTimeout(stopTimer);
  if (!capturing) return;
  console.log(`${conversation.count} packet(s)`);
  // The side that closed first keeps the connection in TIME-WAIT (twice the maximum segment
  // lifetime, 60 s on Linux), so late duplicates of its packets cannot confuse a new connection.
  if (protocol === 'tcp') {
    const waiting = execFileSync('ss', ['-Htan', 'state', 'time-wait', `( sport = :${port} or dport = :${port} )`], {
      encoding: 'utf8',
    });
    for (const line of waiting.trim().split('\n').filter(Boolean)) {
      const [, , local, peer] = line.trim().split(/\s+/);
      console.log(`TIME-WAIT ${local} > ${peer}`);
    }
  }
  console.log('stopped');
});
