/**
 * `npx tsx bench/src/chat-web-capacity.ts [USERS]`: how many WebSocket users one chat-web (and the
 * chat-server behind it) hold here, and what each costs in memory; then the latency of a message
 * from a page in headless Chromium to a terminal member (p50, p99). Both programs run with default
 * flags except the user caps (--max-users, --max-clients), raised to USERS. Bounded: USERS users
 * (default 1000), 60 messages at 4 a second (under the default rate cap of 5).
 */
import { LineClient } from '@netprog/shared/line-client';
import { residentBytes } from '@netprog/shared/proc';
import { killAllGroups } from '@netprog/shared/process-groups';
import { startServer } from '@netprog/shared/program';
import { programFile } from '@netprog/shared/programs';
import { chromium } from 'playwright-core';
import { WebSocket } from 'ws';

const users = Number(process.argv[2] ?? 1000);
// Every server is stopped on every exit path, a failed measurement included.
try {
  const room = await startServer(programFile('03-async', 'chat-server'), {
    args: ['--max-clients', String(users + 10)],
  });
  const web = await startServer(programFile('03-async', 'chat-web'), {
    args: ['--room-port', String(room.port), '--max-users', String(users + 10)],
  });
  const memory = () => residentBytes(web.pid) + residentBytes(room.pid);
  const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
  const before = memory();

  // Users join in batches of 50; each waits for its welcome, so every one is a member of the room.
  const sockets: WebSocket[] = [];
  for (let start = 0; start < users; start += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, users - start) }, (_, i) => {
        const socket = new WebSocket(`ws://127.0.0.1:${web.port}/chat`);
        sockets.push(socket);
        socket.on('error', () => {});
        socket.once('open', () => socket.send(`u${start + i}`));
        return new Promise<void>((resolve, reject) => {
          socket.once('message', (data) =>
            String(data).startsWith('welcome ') ? resolve() : reject(new Error(String(data))),
          );
          socket.once('close', () => reject(new Error(`u${start + i} closed`)));
        });
      }),
    );
  }
  const after = memory();
  console.log(`${users} WebSocket users in the room: chat-web + chat-server RSS ${mib(before)} → ${mib(after)} MiB,`);
  console.log(`  ${((after - before) / users / 1024).toFixed(1)} KiB per user`);
  for (const socket of sockets) socket.close();

  // Latency, page → terminal: the page stamps each message with its clock; the terminal reads its own.
  const terminal = await LineClient.open(room.port);
  terminal.send('terminal');
  await terminal.waitFor(/^welcome terminal!/);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${web.port}/`);
  await page.fill('#nick', 'page');
  await page.click('#join button');
  await page.locator('#log li', { hasText: 'welcome page!' }).waitFor();
  const latencies: number[] = [];
  for (let i = 0; i < 60; i++) {
    const from = terminal.lines.length;
    // Stamped and sent inside the page, as its own form would send it (a string: no DOM types here).
    await page.evaluate(`document.querySelector('#message').value = String(performance.timeOrigin + performance.now());
    document.querySelector('#say').requestSubmit();`);
    const line = await terminal.waitFor(/^page: /, { from });
    latencies.push(performance.timeOrigin + performance.now() - Number(line.slice('page: '.length)));
    await new Promise((resolve) => setTimeout(resolve, 250)); // 4 a second: the pace of the load, not a wait for readiness
  }
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]?.toFixed(2);
  console.log(`page → terminal latency over ${latencies.length} messages: p50 ${at(0.5)} ms, p99 ${at(0.99)} ms`);
  await browser.close();
  terminal.close();
  await web.stop();
  await room.stop();
} finally {
  await killAllGroups();
}
