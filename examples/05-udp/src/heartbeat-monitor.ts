/**
 * A heartbeat monitor, the monitoring application of tutorial 003 §5 over UDP (001 §1.7 Q3: bind, recvfrom). It prints
 * "up <agent>" on an agent's first heartbeat, "down <agent>" once the agent has missed a number of intervals in a row,
 * and "up" again when it returns. Datagrams that are not heartbeats are counted and ignored: on UDP anyone can send
 * anything.
 *
 * Run:    node examples/05-udp/src/heartbeat-monitor.ts
 * Try:    node examples/05-udp/src/heartbeat-agent.ts --name web-1, then Ctrl+C it
 * Expect: "up web-1 (127.0.0.1:<port>)", and after 3 missed heartbeats "down web-1 (no heartbeat for <ms> ms)"
 * Stop:   Ctrl+C prints "up: <names>; down: <names>; ignored <n> datagram(s)", then "stopped"
 */
import dgram from 'node:dgram';
import * as cli from './cli.ts';
import { parseHeartbeat } from './heartbeat.ts';

const {
  host,
  port,
  interval: intervalMs,
  missed,
  maxAgents,
} = cli.parseFlags(
  {
    name: 'heartbeat-monitor',
    about: 'Watches heartbeats ("HEARTBEAT <name> <n>") and reports agents going up and down.',
  },
  {
    ...cli.listenOn(9092),
    interval: cli.duration(1000, "the agents' heartbeat interval", 10),
    missed: cli.integer(3, 'intervals without a heartbeat before an agent is down', { min: 1, max: 1000 }),
    maxAgents: cli.integer(1000, 'agents remembered at most; heartbeats from more are ignored', { min: 1 }),
  },
);
const downAfterMs = intervalMs * missed;

interface Agent {
  lastSeen: number;
  up: boolean;
}
const agents = new Map<string, Agent>();
let ignored = 0;

// Only exact heartbeats count (heartbeat.ts); anything else (garbage, a port scan, a typo) is
// ignored. The first few are logged so a misconfigured agent is noticed; after that they are only counted.
const socket = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
socket.on('message', (datagram, sender) => {
  const name = parseHeartbeat(datagram)?.name;
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
socket.on('error', (error: NodeJS.ErrnoException) => {
  // Before bind() completes, an error is a start-up failure (port in use): one line, exit 1.
  if (!listening) cli.cannotListen(error, host, port);
  console.error(`error: ${error.code ?? error.message}`);
});

function shutdown(signal: NodeJS.Signals): void {
  if (cli.alreadyStopping(signal)) return;
  clearInterval(check);
  const up = [...agents].filter(([, agent]) => agent.up).map(([name]) => name);
  const down = [...agents].filter(([, agent]) => !agent.up).map(([name]) => name);
  console.log(`${signal}: stopping`);
  console.log(`up: ${up.join(', ') || 'none'}; down: ${down.join(', ') || 'none'}; ignored ${ignored} datagram(s)`);
  socket.close(() => console.log('stopped'));
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

socket.bind({ address: host, port }, () => {
  listening = true;
  console.log(`watching for heartbeats every ${intervalMs} ms; down after ${missed} missed`);
  cli.printListening('udp', socket.address());
});
