/**
 * The chat-web capacity group of `npm run bench`: how many WebSocket users one chat-web (and the
 * chat-server behind it) hold here, and what each costs in memory; then the latency of a message
 * from a page in headless Chromium to a terminal member (p50, p99). Both programs run with default
 * flags except the user caps (--max-users, --max-clients), raised to the users measured. Bounded:
 * that many users (full: 2000) and the messages sent at 4 a second (under the default rate cap of 5).
 */
import { LineClient } from '@netprog/shared/line-client';
import { residentBytes } from '@netprog/shared/proc';
import { startServer } from '@netprog/shared/program';
import { programFile } from '@netprog/shared/programs';
import { chromium } from 'playwright-core';
import { WebSocket } from 'ws';

/** Joins `users` WebSocket users in batches of 50; each waits for its welcome, so all are members. */
async function joinUsers(port: number, users: number): Promise<WebSocket[]> {
  const sockets: WebSocket[] = [];
  for (let start = 0; start < users; start += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, users - start) }, (_, i) => {
        const socket = new WebSocket(`ws://127.0.0.1:${port}/chat`);
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
  return sockets;
}

/** Page → terminal latencies: the page stamps each message with its clock; the terminal reads its own. */
async function pageToTerminal(webPort: number, roomPort: number, messages: number): Promise<number[]> {
  const terminal = await LineClient.open(roomPort);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
  try {
    terminal.send('terminal');
    await terminal.waitFor(/^welcome terminal!/);
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${webPort}/`);
    await page.fill('#nick', 'page');
    await page.click('#join button');
    await page.locator('#log li', { hasText: 'welcome page!' }).waitFor();
    const latencies: number[] = [];
    for (let i = 0; i < messages; i++) {
      const from = terminal.lines.length;
      // Stamped and sent inside the page, as its own form would send it (a string: no DOM types here).
      await page.evaluate(`document.querySelector('#message').value = String(performance.timeOrigin + performance.now());
      document.querySelector('#say').requestSubmit();`);
      const line = await terminal.waitFor(/^page: /, { from });
      latencies.push(performance.timeOrigin + performance.now() - Number(line.slice('page: '.length)));
      await new Promise((resolve) => setTimeout(resolve, 250)); // 4 a second: the pace of the load, not a wait for readiness
    }
    return latencies.sort((a, b) => a - b);
  } finally {
    await browser.close();
    terminal.close();
  }
}

export async function chatWebCapacity(users: number, messages: number) {
  const room = await startServer(programFile('03-async', 'chat-server'), {
    args: ['--max-clients', String(users + 10)],
  });
  try {
    const web = await startServer(programFile('03-async', 'chat-web'), {
      args: ['--room-port', String(room.port), '--max-users', String(users + 10)],
    });
    try {
      const memory = () => residentBytes(web.pid) + residentBytes(room.pid);
      const before = memory();
      const sockets = await joinUsers(web.port, users);
      const after = memory();
      for (const socket of sockets) socket.close();
      const latencies = await pageToTerminal(web.port, room.port, messages);
      const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
      const result = { users, rssBeforeBytes: before, rssAfterBytes: after, messages, p50Ms: at(0.5), p99Ms: at(0.99) };
      return { result, markdown: chatWebCapacityText(result) };
    } finally {
      await web.stop();
    }
  } finally {
    await room.stop();
  }
}

function chatWebCapacityText(r: {
  users: number;
  rssBeforeBytes: number;
  rssAfterBytes: number;
  messages: number;
  p50Ms: number;
  p99Ms: number;
}) {
  const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
  return [
    '',
    '## chat-web capacity',
    '',
    `${r.users} WebSocket users in the room: chat-web + chat-server RSS ${mib(r.rssBeforeBytes)} → ${mib(r.rssAfterBytes)} MiB,`,
    `${((r.rssAfterBytes - r.rssBeforeBytes) / r.users / 1024).toFixed(1)} KiB per user. Page → terminal latency over ${r.messages} messages: p50 ${r.p50Ms.toFixed(2)} ms, p99 ${r.p99Ms.toFixed(2)} ms.`,
  ].join('\n');
}
