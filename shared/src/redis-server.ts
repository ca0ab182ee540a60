/**
 * A private Redis for the specs, the tour and the benchmarks: Debian's redis-server on a Unix socket in a fresh
 * directory of its own (`--port 0` turns TCP off, so nothing else on the machine can reach it and no port is taken),
 * with its files kept there and the directory removed when it is closed. With `persist`, it keeps an append-only
 * file written on every command, so a restart (or a kill) loses nothing; without, a restart starts empty.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { Program } from './program.ts';

export interface RedisServer {
  /** What chat-server's --redis takes: unix:<path of the socket>. */
  url: string;
  socketPath: string;
  program: Program;
  /** Stops Redis (SIGTERM, or SIGKILL with `kill`) and starts it again on the same socket and files, `downMs` later. */
  restart(options?: { kill?: boolean; downMs?: number }): Promise<void>;
  close(): Promise<void>;
}

export async function startRedis({ persist = false } = {}): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'netprog-redis-'));
  const socketPath = join(dir, 'redis.sock');
  const args = ['--port', '0', '--unixsocket', socketPath, '--unixsocketperm', '700', '--dir', dir, '--save', ''];
  if (persist) args.push('--appendonly', 'yes', '--appendfsync', 'always');
  const start = async () => {
    const program = new Program(
      'redis-server',
      execa('redis-server', args, { detached: true, reject: false, buffer: false, stdin: 'ignore' }),
    );
    try {
      await program.waitForLine(/ready to accept connections/i, { timeoutMs: 10_000 });
    } catch (error) {
      program.kill();
      await program.exited;
      throw error;
    }
    return program;
  };
  const server: RedisServer = {
    url: `unix:${socketPath}`,
    socketPath,
    program: await start().catch((error) => {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }),
    async restart({ kill = false, downMs = 0 } = {}) {
      if (kill) server.program.kill();
      await server.program.stop({ deadlineMs: 5000 });
      // How long Redis stays away is the fault being played, not a wait for something to be ready.
      await new Promise((resolve) => setTimeout(resolve, downMs));
      server.program = await start();
    },
    async close() {
      await server.program.stop({ deadlineMs: 5000 });
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return server;
}
