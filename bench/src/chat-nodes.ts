/**
 * The chat-nodes group of `npm run bench`: one room on one chat-server, on two nodes through Redis, and on two
 * nodes behind HAProxy, each run with default flags. Members (half on each node) send 200 lines a second between
 * them, stamped with this process's clock, and every other member's arrival is timed: p50 and p99 member-to-member.
 * Then each node's RSS with the members in (against the single node with the same members), and the catch-up
 * after a 5-second outage (1 s in --tiny): one node's link to Redis broken (every connection reset) while 1,000 lines are said
 * on the other, then the time from the link's return until a member on the cut node has read them all.
 * Bounded: the members, the seconds of traffic, and the outage are fixed per mode.
 */
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { type Balancer, startBalancer } from '@netprog/shared/balancer';
import { cutProxy } from '@netprog/shared/cut-proxy';
import { LineClient } from '@netprog/shared/line-client';
import { residentBytes } from '@netprog/shared/proc';
import { type Server, startServer } from '@netprog/shared/program';
import { programFile } from '@netprog/shared/programs';
import { startRedis } from '@netprog/shared/redis-server';

const chatServer = programFile('03-async', 'chat-server');
const lineRelay = fileURLToPath(new URL('./subjects/line-relay.ts', import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface ChatNodesRow {
  setup: string;
  /** Lines a second one member's burst reaches a member on the other node (or the same, with one). */
  linesPerSecond: number;
  deliveries: number;
  p50Ms: number;
  p99Ms: number;
  rssMiB: number[];
}

/** Joins `members` members, alternating between the ports given, and waits until each has its welcome. */
async function joinAll(ports: number[], members: number, prefix: string): Promise<LineClient[]> {
  const clients: LineClient[] = [];
  for (let i = 0; i < members; i++) {
    const client = await LineClient.open(ports[i % ports.length] ?? 0);
    client.socket.setNoDelay(true); // the generator's own lines go out at once, not held by Nagle's algorithm
    client.send(`${prefix}${i}`);
    await client.waitFor(/^welcome/);
    clients.push(client);
  }
  return clients;
}

/** Four senders, 200 lines a second in all, for `seconds`; every member's arrival of every line, in ms. */
async function traffic(clients: LineClient[], seconds: number): Promise<number[]> {
  const latencies: number[] = [];
  const senders = clients.slice(0, 4);
  let sent = 0;
  // Timed as each chunk arrives (after the client's own listener has split it into lines), then let go.
  const timers = clients.map((client) => {
    const time = () => {
      for (const line of client.lines.splice(0)) {
        const stamp = / t=([\d.]+)$/.exec(line)?.[1];
        if (stamp) latencies.push(performance.now() - Number(stamp));
      }
    };
    client.socket.on('data', time);
    return () => client.socket.off('data', time);
  });
  // 10 ms ticks, one line from each of two senders per tick: 200 a second, spread evenly.
  for (let tick = 0; tick < seconds * 100; tick++) {
    for (const sender of [senders[(tick * 2) % 4], senders[(tick * 2 + 1) % 4]]) {
      sender?.send(`line ${sent++} t=${performance.now()}`);
    }
    await sleep(10);
  }
  const expected = sent * (clients.length - 1);
  const deadline = Date.now() + 10_000;
  while (latencies.length < expected && Date.now() < deadline) await sleep(50);
  for (const stop of timers) stop();
  if (latencies.length !== expected) throw new Error(`${expected} deliveries expected, ${latencies.length} arrived`);
  return latencies.sort((a, b) => a - b);
}

/** One member sends `lines` lines as fast as the room takes them: the lines a second that reach `receiver`. */
async function burst(sender: LineClient, receiver: LineClient, lines: number): Promise<number> {
  const from = receiver.lines.length;
  const started = performance.now();
  for (let i = 0; i < lines; i += 100) {
    const batch = Array.from({ length: Math.min(100, lines - i) }, (_, k) => `x${i + k}\n`).join('');
    if (!sender.socket.write(batch)) await once(sender.socket, 'drain');
  }
  await receiver.waitFor(new RegExp(`x${lines - 1}$`), { from, timeoutMs: 60_000 });
  return lines / ((performance.now() - started) / 1000);
}

/** The paced traffic, then the burst from the first member to the second (on the other node, where there are two). */
async function measure(setup: string, clients: LineClient[], nodes: Server[], seconds: number, lines: number) {
  const latencies = await traffic(clients, seconds);
  const rssMiB = nodes.map((node) => residentBytes(node.pid) / 2 ** 20);
  const [sender, receiver] = clients;
  if (!sender || !receiver) throw new Error('too few members');
  const linesPerSecond = await burst(sender, receiver, lines);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { setup, linesPerSecond, deliveries: latencies.length, p50Ms: at(0.5), p99Ms: at(0.99), rssMiB };
}

export async function chatNodes(
  members: number,
  seconds: number,
  outageLines: number,
  outageMs = 5000,
  lines = 10_000,
) {
  const rows: ChatNodesRow[] = [];
  // First the generator's ceiling, a bare relay that any room is slower than; then one room on one server.
  const alone = [
    ["bare line relay (the load generator's ceiling)", lineRelay, 'r'],
    ['one chat-server', chatServer, 'a'],
  ] as const;
  for (const [setup, file, prefix] of alone) {
    const server = await startServer(file);
    try {
      const clients = await joinAll([server.port], members, prefix);
      rows.push(await measure(setup, clients, [server], seconds, lines));
      for (const client of clients) client.close();
    } finally {
      await server.stop();
    }
  }

  const redis = await startRedis();
  const proxy = await cutProxy({ path: redis.socketPath });
  const nodes: Server[] = [];
  let balancer: Balancer | undefined;
  let catchUpMs = NaN;
  try {
    nodes.push(await startServer(chatServer, { args: ['--redis', `redis://127.0.0.1:${proxy.port}`] }));
    nodes.push(await startServer(chatServer, { args: ['--redis', redis.url] }));
    const direct = await joinAll(
      nodes.map((node) => node.port),
      members,
      'm',
    );
    rows.push(await measure('two nodes, Redis', direct, nodes, seconds, lines));

    // The outage: node 0's link broken for 5 s while a member of node 1 talks; then time the catch-up.
    const [watcher, talker] = [direct[0], direct[1]];
    if (!watcher || !talker) throw new Error('too few members');
    watcher.lines.splice(0);
    proxy.cut({ reset: true });
    await watcher.waitFor(/^\* link to the room lost$/);
    const outageStart = Date.now();
    for (let i = 1; i <= outageLines; i++) {
      talker.send(`missed ${i}`);
      if (i % 10 === 0) await sleep(40);
    }
    await sleep(Math.max(0, outageMs - (Date.now() - outageStart)));
    proxy.restore();
    const restoredAt = performance.now();
    await watcher.waitFor(new RegExp(`^m1: missed ${outageLines}$`), { timeoutMs: 30_000 });
    catchUpMs = performance.now() - restoredAt;
    for (const client of direct) client.close();

    balancer = await startBalancer({ nodes: nodes.map((node) => `127.0.0.1:${node.port}`), webs: [] });
    const port = balancer.terminalPort;
    const behind = await joinAll([port], members, 'h');
    rows.push(await measure('two nodes, Redis, HAProxy', behind, nodes, seconds, lines));
    for (const client of behind) client.close();
  } finally {
    await balancer?.close();
    for (const node of nodes) await node.stop();
    await proxy.close();
    await redis.close();
  }
  const result = { members, seconds, rows, outageLines, outageMs, catchUpMs };
  return { result, markdown: chatNodesText(result) };
}

function chatNodesText(r: {
  members: number;
  rows: ChatNodesRow[];
  outageLines: number;
  outageMs: number;
  catchUpMs: number;
}) {
  return [
    '',
    '## chat across nodes',
    '',
    `${r.members} members, 200 lines a second among them, each delivered to every other member:`,
    '',
    '| setup | burst lines/s | deliveries | p50 ms | p99 ms | RSS per node MiB |',
    '|---|---:|---:|---:|---:|---:|',
    ...r.rows.map(
      (row) =>
        `| ${row.setup} | ${Math.round(row.linesPerSecond)} | ${row.deliveries} | ${row.p50Ms.toFixed(2)} | ${row.p99Ms.toFixed(2)} | ${row.rssMiB.map((mib) => mib.toFixed(1)).join(' / ')} |`,
    ),
    '',
    `Catch-up after a ${r.outageMs / 1000} s outage of one node's link to Redis (${r.outageLines} lines said meanwhile): ${r.catchUpMs.toFixed(0)} ms from the link's return to the last line.`,
  ].join('\n');
}
