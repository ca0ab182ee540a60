/**
 * A heartbeat agent: every interval it sends one small datagram, "HEARTBEAT <name> <n>", to a
 * monitor. The tutorials list network monitoring as an application of sockets (003 §5); UDP suits
 * it because a lost heartbeat costs nothing: the next one is on its way, and only a run of missing
 * ones means something.
 *
 * Run:    npx tsx examples/05-udp/src/heartbeat-agent.ts --name web-1     (with heartbeat-monitor running)
 * Try:    a second agent with --name web-2, then stop one and watch the monitor say "down"
 * Expect: "web-1 sending a heartbeat to 127.0.0.1:9092 every 1000 ms"
 * Stop:   Ctrl+C prints "stopped after N heartbeats"
 */
import dgram from 'node:dgram';
import { parseArgs } from 'node:util';

const usage = 'usage: heartbeat-agent --name NAME [--host HOST] [--port PORT] [--interval MS]';
const help = `${usage}

Sends "HEARTBEAT <name> <n>" to the monitor every interval.

  --name NAME     this agent's name: 1 to 64 of A-Z a-z 0-9 . _ -
  --host HOST     the monitor's address (default: $HOST or 127.0.0.1)
  --port PORT     the monitor's port (default: $PORT or 9092)
  --interval MS   time between heartbeats (default: 1000)
  --help          print this help and exit`;

let flags: Record<string, string | boolean | undefined>;
try {
  flags = parseArgs({
    options: {
      name: { type: 'string' },
      host: { type: 'string', default: process.env.HOST ?? '127.0.0.1' },
      port: { type: 'string', default: process.env.PORT ?? '9092' },
      interval: { type: 'string', default: '1000' },
      help: { type: 'boolean', default: false },
    },
  }).values;
} catch (error) {
  console.error(`${(error as Error).message}. ${usage}`);
  process.exit(2);
}
if (flags.help) {
  console.log(help);
  process.exit(0);
}
const name = typeof flags.name === 'string' ? flags.name : '';
if (!/^[A-Za-z0-9._-]{1,64}$/.test(name)) {
  console.error(`error: --name must be 1 to 64 of A-Z a-z 0-9 . _ -, got '${name}'`);
  process.exit(1);
}
const host = String(flags.host);
const port = Number(flags.port);
const intervalMs = Number(flags.interval);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`error: --port must be an integer from 1 to 65535, got '${flags.port}'`);
  process.exit(1);
}
if (!Number.isInteger(intervalMs) || intervalMs < 10 || intervalMs > 3_600_000) {
  console.error(`error: --interval must be an integer from 10 to 3600000, got '${flags.interval}'`);
  process.exit(1);
}

// Not connected: a monitor that is down (port unreachable) must not stop the agent; it keeps
// sending, and the monitor hears it again once it is back.
const socket = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
socket.on('error', (error) => console.error(`error: ${error.message}`));

let sent = 0;
function beat(): void {
  sent++;
  socket.send(`HEARTBEAT ${name} ${sent}\n`, port, host);
}
console.log(`${name} sending a heartbeat to ${host}:${port} every ${intervalMs} ms`);
beat();
const timer = setInterval(beat, intervalMs);

function shutdown(): void {
  clearInterval(timer);
  socket.close(() => console.log(`stopped after ${sent} heartbeats`));
}
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
