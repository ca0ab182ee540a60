/**
 * The chat room's load balancer for the specs, the tour and the benchmarks: Debian's HAProxy run with the
 * repository's own configuration (examples/03-async/balancer/haproxy.cfg), its two doors on sockets this process
 * opened on free ports and handed over as fd@3 and fd@4. Since the doors listen before HAProxy starts, a client can
 * connect at once: the kernel holds the connection until HAProxy accepts it.
 */
import net from 'node:net';
import path from 'node:path';
import { execa } from 'execa';
import { Program } from './program.ts';
import { examplesRoot } from './programs.ts';

export const balancerConfig = path.join(examplesRoot, '03-async', 'balancer', 'haproxy.cfg');

export interface Balancer {
  /** The terminal door's port; a caller that needs the web door's opens the doors itself (openDoors()). */
  terminalPort: number;
  close(): Promise<void>;
}

interface Door {
  port: number;
  fd: number;
  server: net.Server;
}

/** The balancer's two doors, open before it starts: chat-web's --room-port can be the terminal door. */
export interface Doors {
  terminals: Door;
  pages: Door;
}

export async function openDoors(): Promise<Doors> {
  return { terminals: await door(), pages: await door() };
}

async function door(): Promise<Door> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  // The listening socket's descriptor, which a child process inherits when it is listed in its stdio.
  const fd = (server as unknown as { _handle: { fd: number } })._handle.fd;
  return { port: (server.address() as net.AddressInfo).port, fd, server };
}

const none = '127.0.0.1:1';

/** Starts HAProxy in front of the given chat-server nodes and chat-web doors ("127.0.0.1:<port>" each). */
export async function startBalancer({
  nodes,
  webs,
  doors,
}: {
  nodes: string[];
  webs: string[];
  doors?: Doors;
}): Promise<Balancer> {
  const { terminals, pages } = doors ?? (await openDoors());
  // A server not given is port 1, where nothing listens: HAProxy marks it down and sends it nobody.
  const [node1 = none, node2 = none] = nodes;
  const [web1 = none, web2 = none] = webs;
  const env = { CHAT_TCP_DOOR: 'fd@3', CHAT_WEB_DOOR: 'fd@4' };
  Object.assign(env, { CHAT_NODE_1: node1, CHAT_NODE_2: node2, CHAT_WEB_1: web1, CHAT_WEB_2: web2 });
  // execa hands a number on as an inherited descriptor (as node:child_process does); its types omit that for fd 3+.
  const stdio = ['ignore', 'pipe', 'pipe', terminals.fd, pages.fd] as unknown as ['ignore', 'pipe', 'pipe'];
  // A configuration HAProxy refuses fails here, with its reasons, rather than as connections nobody takes.
  const checked = await execa('haproxy', ['-c', '-f', balancerConfig], { env, reject: false, stdio });
  if (checked.exitCode !== 0) throw new Error(`haproxy refused ${balancerConfig}:\n${checked.stderr}`);
  const subprocess = execa('haproxy', ['-f', balancerConfig, '-db'], {
    env,
    detached: true,
    reject: false,
    buffer: false,
    stdio,
  });
  const program = new Program('haproxy', subprocess);
  // HAProxy has its own copies of the doors now; this process must not accept on them.
  for (const { server } of [terminals, pages]) server.close();
  return {
    terminalPort: terminals.port,
    async close() {
      await program.stop({ signal: 'SIGTERM', deadlineMs: 5000 });
    },
  };
}
