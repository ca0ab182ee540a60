/**
 * A heartbeat monitor, the monitoring application of tutorial 003 §5 over UDP (001 §1.4 Q3:
 * bind, recvfrom). It prints "up <agent>" on an agent's first heartbeat, "down <agent>" once the
 * agent has missed a number of intervals in a row, and "up" again when it returns. Datagrams that
 * are not heartbeats are counted and ignored: on UDP anyone can send anything.
 *
 * Run:    npx tsx examples/05-udp/src/heartbeat-monitor.ts
 * Try:    npx tsx examples/05-udp/src/heartbeat-agent.ts --name web-1, then Ctrl+C it
 * Expect: "up web-1 (127.0.0.1:<port>)", and after 3 missed seconds "down web-1 (no heartbeat for 3000 ms)"
 * Stop:   Ctrl+C prints who is up and down and how many datagrams were ignored, then "stopped"
 */
import dgram from 'node:dgram';
import { parseArgs } from 'node:util';

const usage =
  'usage: heartbeat-monitor [--host HOST] [--port PORT] [--interval MS] [--missed N] [--max-agents N]';
const help = `${usage}

Watches heartbeats ("HEARTBEAT <name> <n>") and reports agents going up and down.

  --host HOST      address to listen on (default: $HOST or 127.0.0.1)
  --port PORT      port to listen on, 0 for any free port (default: $PORT or 9092)
  --interval MS    the agents' heartbeat interval (default: 1000)
  --missed N       intervals without a heartbeat before an agent is down (default: 3)
  --max-agents N   agents remembered at most; heartbeats from more are ignored (default: 1000)
  --help           print this help and exit`;

let flags: Record<string, string | boolean | undefined>;
try {
  flags = parseArgs({
    options: {
      host: { type: 'string', default: process.env.HOST ?? '127.0.0.1' },
      port: { type: 'string', default: process.env.PORT ?? '9092' },
      interval: { type: 'string', default: '1000' },
      missed: { type: 'string', default: '3' },
      'max-agents': { type: 'string', default: '1000' },
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
function integerFlag(name: string, min: number, max: number): number {
  const text = String(flags[name]);
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    console.error(`error: --${name} must be an integer from ${min} to ${max}, got '${text}'`);
    process.exit(1);
  }
  return value;
}
const host = String(flags.host);
const port = integerFlag('port', 0, 65535);
const intervalMs = integerFlag('interval', 10, 3_600_000);
const missed = integerFlag('missed', 1, 1000);
const maxAgents = integerFlag('max-agents', 1, 1_000_000);
const downAfterMs = intervalMs * missed;

interface Agent {
  lastSeen: number;
  up: boolean;
}
const agents = new Map<string, Agent>();
let ignored = 0;

// Only exact heartbeats count; anything else (garbage, a port scan, a typo) is ignored. The first
// few are logged so a misconfigured agent is noticed; after that they are only counted.
const heartbeat = /^HEARTBEAT ([A-Za-z0-9._-]{1,64}) \d{1,15}\n?$/;
const socket = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
socket.on('message', (datagram, sender) => {
  const match = datagram.length <= 128 ? heartbeat.exec(datagram.toString('latin1')) : null;
  const name = match?.[1];
  if (name === undefined || (!agents.has(name) && agents.size >= maxAgents)) {
    ignored++;
    if (ignored <= 5)
      console.log(`ignored ${datagram.length} bytes from ${sender.address}:${sender.port} (not a heartbeat)`);
    if (ignored === 5) console.log('(further ignored datagrams are only counted)');
    return;
  }
  const agent = agents.get(name) ?? { lastSeen: 0, up: false };
  agent.lastSeen = Date.now();
  agents.set(name, agent);
  if (!agent.up) {
    agent.up = true;
    console.log(`up ${name} (${sender.address}:${sender.port})`);
  }
});

// Silence is the only signal UDP gives of a dead agent, so the monitor checks the clock itself,
// several times per interval.
const check = setInterval(
  () => {
    const now = Date.now();
    for (const [name, agent] of agents) {
      if (agent.up && now - agent.lastSeen >= downAfterMs) {
        agent.up = false;
        console.log(`down ${name} (no heartbeat for ${downAfterMs} ms)`);
      }
    }
  },
  Math.max(10, Math.floor(intervalMs / 4)),
);

let listening = false;
const reasons: Record<string, string> = {
  EADDRINUSE: 'address already in use',
  EACCES: 'permission denied',
  EADDRNOTAVAIL: 'address not available on this machine',
};
socket.on('error', (error: NodeJS.ErrnoException) => {
  if (!listening) {
    console.error(
      `error: cannot listen on ${host}:${port}: ${reasons[error.code ?? ''] ?? error.message} (${error.code})`,
    );
    process.exit(1);
  }
  console.error(`error: ${error.code ?? error.message}`);
});

let stopping = false;
function shutdown(signal: NodeJS.Signals): void {
  if (stopping) process.exit(1);
  stopping = true;
  clearInterval(check);
  const up = [...agents].filter(([, agent]) => agent.up).map(([name]) => name);
  const down = [...agents].filter(([, agent]) => !agent.up).map(([name]) => name);
  console.log(`${signal}: stopping`);
  console.log(
    `up: ${up.join(', ') || 'none'}; down: ${down.join(', ') || 'none'}; ignored ${ignored} datagram(s)`,
  );
  socket.close(() => console.log('stopped'));
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

socket.bind({ address: host, port }, () => {
  listening = true;
  const address = socket.address();
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  console.log(`watching for heartbeats every ${intervalMs} ms; down after ${missed} missed`);
  console.log(`listening on udp://${shownHost}:${address.port}`);
});
