/**
 * The room across nodes in a real browser (headless Chromium), through HAProxy's web door: the page and its
 * WebSocket come through the balancer to one of two chat-web doors, whose bridges reach the room through the
 * balancer's terminal door. When the node a page is on is killed, the page comes back by itself on the other.
 */
import { type Balancer, openDoors, startBalancer } from '@netprog/shared/balancer';
import { LineClient } from '@netprog/shared/line-client';
import { firstToPrint, type Server, startServer } from '@netprog/shared/program';
import { programFile } from '@netprog/shared/programs';
import { type RedisServer, startRedis } from '@netprog/shared/redis-server';
import { type Browser, chromium } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { expectCleanStop } from '../../support/checks.ts';
import { chromiumPath, hasHaproxy, hasRedis, noChromium, noHaproxy, noRedis } from '../../support/tools.ts';

const missing = [hasRedis ? '' : noRedis, hasHaproxy ? '' : noHaproxy, chromiumPath ? '' : noChromium]
  .filter(Boolean)
  .join('; ');
if (missing && process.env.CI) it('runs the browser specs behind the balancer', () => expect.fail(missing));

describe.skipIf(missing !== '')(`in Chromium, behind HAProxy${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let redis: RedisServer | undefined;
  let balancer: Balancer | undefined;
  let browser: Browser | undefined;
  let servers: Server[] = [];
  let bob: LineClient | undefined;
  afterEach(async () => {
    bob?.close();
    try {
      await browser?.close();
      await balancer?.close();
      for (const server of servers.filter((server) => server.isRunning())) await expectCleanStop(server);
    } finally {
      // Even when a server did not stop cleanly, Redis and its directory go.
      for (const server of servers) if (server.isRunning()) server.kill();
      await redis?.close();
      [redis, balancer, browser, servers, bob] = [undefined, undefined, undefined, [], undefined];
    }
  });

  it('a page and a terminal chat across nodes; the page comes back when its node is killed', async () => {
    redis = await startRedis();
    const nodeArgs = ['--redis', redis.url, '--redis-lease', '2000'];
    const nodes = [await startServer(programFile('03-async', 'chat-server'), { args: nodeArgs })];
    nodes.push(await startServer(programFile('03-async', 'chat-server'), { args: nodeArgs }));
    const doors = await openDoors();
    const site = `http://127.0.0.1:${doors.pages.port}`;
    const webArgs = ['--room-port', String(doors.terminals.port), '--allow-origin', site];
    const webs = [await startServer(programFile('03-async', 'chat-web'), { args: webArgs })];
    webs.push(await startServer(programFile('03-async', 'chat-web'), { args: webArgs }));
    servers = [...webs, ...nodes];
    const at = (server: Server) => `127.0.0.1:${server.port}`;
    balancer = await startBalancer({ nodes: nodes.map(at), webs: webs.map(at), doors });
    browser = await chromium.launch({ executablePath: chromiumPath });

    bob = await LineClient.open(balancer.terminalPort);
    bob.send('bob');
    await bob.waitFor(/^welcome bob!/);
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${site}/`);
    await page.fill('#nick', 'alice');
    await page.click('#join button');
    await page.locator('#log li', { hasText: 'welcome alice! here: bob' }).waitFor();
    const say = async (text: string) => {
      await page.fill('#message', text);
      await page.click('#say button');
    };
    await say('hello through the balancer');
    expect(await bob.waitFor(/^alice: /)).toBe('alice: hello through the balancer');
    bob.send('hello, page');
    await page.locator('#log li', { hasText: 'bob: hello, page' }).waitFor();
    // leastconn put alice's bridge on the node bob is not on: the room really spans both.
    const nodeOf = (nick: string) => firstToPrint(nodes, new RegExp(`^${nick} joined$`));
    const dead = await nodeOf('alice');
    expect(dead).not.toBe(await nodeOf('bob'));

    dead.kill();
    expect(await bob.waitFor(/^\* alice left/, { timeoutMs: 20_000 })).toBe(
      '* alice left (their server stopped answering)',
    );
    await page.locator('#log li', { hasText: 'welcome alice! here: bob' }).nth(1).waitFor({ timeout: 30_000 });
    await bob.waitFor(/^\* alice joined$/, {
      from: bob.lines.indexOf('* alice left (their server stopped answering)'),
    });
    await say('back again');
    expect(await bob.waitFor(/^alice: back/)).toBe('alice: back again');
    expect(bob.lines.filter((line) => line.startsWith('alice: '))).toEqual([
      'alice: hello through the balancer',
      'alice: back again',
    ]);
  });
});
