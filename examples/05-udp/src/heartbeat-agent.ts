/**
 * A heartbeat agent: every interval it sends one small datagram, "HEARTBEAT <name> <n>", to a monitor. The tutorials
 * list network monitoring as an application of sockets (003 §5); UDP suits it because a lost heartbeat costs nothing:
 * the next one is on its way, and only a run of missing ones means something.
 *
 * Run:    node examples/05-udp/src/heartbeat-agent.ts --name web-1     (with heartbeat-monitor running)
 * Try:    a second agent with --name web-2, then stop one and watch the monitor say "down"
 * Expect: "web-1 sending a heartbeat to 127.0.0.1:9092 every <ms> ms" (1000 unless --interval says otherwise)
 * Stop:   Ctrl+C prints "stopped after <n> heartbeats"
 */
import dgram from 'node:dgram';
import * as cli from './cli.ts';
import { agentName, formatHeartbeat } from './heartbeat.ts';

const {
  name,
  host,
  port,
  interval: intervalMs,
} = cli.parseFlags(
  { name: 'heartbeat-agent', about: 'Sends "HEARTBEAT <name> <n>" to the monitor every interval.' },
  {
    name: cli.text('', "this agent's name: 1 to 64 of A-Z a-z 0-9 . _ - (required)", { value: 'NAME' }),
    ...cli.connectTo(9092),
    interval: cli.duration(1000, 'time between heartbeats', 10),
  },
);
if (!agentName.test(name)) cli.fail(`--name must be 1 to 64 of A-Z a-z 0-9 . _ -, got '${name}'`);

// Not connected: a monitor that is down (port unreachable) must not stop the agent; it keeps
// sending, and the monitor hears it again once it is back.
const socket = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
socket.on('error', (error) => console.error(`error: ${error.message}`));

let sent = 0;
function beat(): void {
  sent++;
  socket.send(formatHeartbeat(name, sent), port, host);
}
console.log(`${name} sending a heartbeat to ${host}:${port} every ${intervalMs} ms`);
beat();
const timer = setInterval(beat, intervalMs);

// Shutdown: stop the timer and close the socket; nothing is in flight that needs waiting for.
function shutdown(signal: NodeJS.Signals): void {
  if (cli.alreadyStopping(signal)) return;
  clearInterval(timer);
  socket.close(() => console.log(`stopped after ${sent} heartbeats`));
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
