/**
 * The chat room's web door, in a real browser (headless Chromium, driven by playwright-core): two
 * pages and a terminal client in one room, both ways; a page that vanishes disturbs no one; a page
 * from a foreign origin is refused; a message with markup shows as text. The same run makes the
 * screenshot the README shows (written to the README's path when SCREENSHOT=write).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LineClient } from '@netprog/shared/line-client';
import { type Server, startServer } from '@netprog/shared/program';
import { programFile } from '@netprog/shared/programs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectCleanStop } from '../../support/checks.ts';
import { chromiumPath, noChromium } from '../../support/tools.ts';

if (!chromiumPath && process.env.CI) it('runs the browser specs', () => expect.fail(noChromium));

describe.skipIf(!chromiumPath)(`in Chromium${chromiumPath ? '' : ` (skipped: ${noChromium})`}`, () => {
  let room: Server;
  let web: Server;
  let browser: Browser;
  beforeEach(async () => {
    room = await startServer(programFile('03-async', 'chat-server'));
    web = await startServer(programFile('03-async', 'chat-web'), { args: ['--room-port', String(room.port)] });
    browser = await chromium.launch({ executablePath: chromiumPath });
  });
  afterEach(async () => {
    await browser.close();
    await expectCleanStop(web);
    await expectCleanStop(room);
  });

  const pageUrl = () => `http://127.0.0.1:${web.port}/`;
  async function joinPage(nick: string): Promise<Page> {
    const page = await (await browser.newContext()).newPage();
    await page.goto(pageUrl());
    await page.fill('#nick', nick);
    await page.click('#join button');
    await page.locator('#log li', { hasText: `welcome ${nick}!` }).waitFor();
    return page;
  }
  async function joinTerminal(nick: string): Promise<LineClient> {
    const client = await LineClient.open(room.port);
    client.send(nick);
    await client.waitFor(new RegExp(`^welcome ${nick}!`));
    return client;
  }
  const say = async (page: Page, text: string) => {
    await page.fill('#message', text);
    await page.click('#say button');
  };
  const logLine = (page: Page, text: string) => page.locator('#log li', { hasText: text }).waitFor();

  it('two pages and a terminal client are in one room, and hear each other', async () => {
    const alice = await joinPage('alice');
    const bob = await joinPage('bob');
    const carol = await joinTerminal('carol');
    await logLine(alice, '* carol joined');
    await expect.poll(() => alice.locator('#members li').allTextContents()).toEqual(['alice', 'bob', 'carol']);
    expect([await alice.locator('#join').isVisible(), await alice.locator('#say').isVisible()]).toEqual([false, true]);

    await say(alice, 'hello from a page');
    await logLine(bob, 'alice: hello from a page');
    expect(await carol.waitFor(/^alice: /)).toBe('alice: hello from a page');
    carol.send('hello from a terminal');
    await logLine(alice, 'carol: hello from a terminal');
    await logLine(bob, 'carol: hello from a terminal');
    carol.close();
  });

  it('a page that closes abruptly leaves the room; the others carry on', async () => {
    const alice = await joinPage('alice');
    const bob = await joinPage('bob');
    const carol = await joinTerminal('carol');
    await bob.context().close(); // the tab is gone: no goodbye from the page
    expect(await carol.waitFor(/^\* bob /)).toBe('* bob left (connection closed)');
    await expect.poll(() => alice.locator('#members li').allTextContents()).toEqual(['alice', 'carol']);
    carol.send('still here?');
    await logLine(alice, 'carol: still here?');
    await say(alice, 'yes');
    expect(await carol.waitFor(/^alice: /)).toBe('alice: yes');
    carol.close();
  });

  it('refuses a WebSocket opened by a page from another origin (403), and says so in one line', async () => {
    const foreign = http.createServer((_, response) => response.end('<!doctype html><title>elsewhere</title>'));
    await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}`;
    const page = await browser.newPage();
    await page.goto(`${origin}/`);
    const outcome = await page.evaluate(
      (url) =>
        new Promise((resolve) => {
          const socket = new WebSocket(url);
          socket.onopen = () => resolve('opened');
          socket.onclose = (event) => resolve(`closed ${event.code}`);
        }),
      `ws://127.0.0.1:${web.port}/chat`,
    );
    expect(outcome).toBe('closed 1006');
    await web.waitFor('the refusal', () => (web.stderr.endsWith('\n') ? true : undefined));
    expect(web.stderr).toBe(`refused a WebSocket from ${origin}: 403 Forbidden\n`);
    foreign.close();
  });

  it('a page reconnects by itself when the server comes back, with backoff', async () => {
    const alice = await joinPage('alice');
    const port = web.port;
    // Every status the page shows is recorded as it is shown: the shutdown's status lasts only
    // until the first retry (a second), which a poll from a loaded machine could miss.
    // (A string, since this suite's compiler knows no DOM.)
    await alice.evaluate(`{
      const status = document.querySelector('#status');
      globalThis.statusesSeen = [];
      new MutationObserver(() => globalThis.statusesSeen.push(status.textContent)).observe(status, {
        childList: true, characterData: true, subtree: true,
      });
    }`);
    await expectCleanStop(web);
    await alice.waitForFunction(() =>
      (globalThis as unknown as { statusesSeen: string[] }).statusesSeen.some((text) =>
        /^disconnected \(1001: server shutting down\); retrying in \d+ s$/.test(text),
      ),
    );
    // The same port again, as a restarted server would have; the page finds it on its next try.
    web = await startServer(programFile('03-async', 'chat-web'), {
      args: ['--port', String(port), '--room-port', String(room.port)],
    });
    await alice.locator('#status', { hasText: 'connected as alice' }).waitFor({ timeout: 10_000 });
    expect(await alice.locator('#log li', { hasText: 'welcome alice!' }).count()).toBe(2);
  });

  it('shows a message carrying markup as text: no element is made, no script runs', async () => {
    const alice = await joinPage('alice');
    const mallory = await joinTerminal('mallory');
    const markup = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script><b>bold?</b>';
    mallory.send(markup);
    await logLine(alice, 'mallory: <img');
    expect(await alice.locator('#log li').last().textContent()).toBe(`mallory: ${markup}`);
    expect(await alice.locator('#log img, #log script, #log b').count()).toBe(0);
    expect(await alice.evaluate(() => (globalThis as { pwned?: number }).pwned)).toBeUndefined();
    mallory.close();
  });

  it('makes the screenshot: two browser windows and a terminal in the same room', async () => {
    const alice = await joinPage('alice');
    const bob = await joinPage('bob');
    const carol = await joinTerminal('carol');
    await logLine(alice, '* carol joined');
    await say(alice, 'hi both, this is a browser');
    await say(bob, 'a browser here too');
    const typed = 'and a terminal, over plain TCP';
    const typedAt = carol.lines.length;
    carol.send(typed);
    await logLine(bob, 'carol: and a terminal');
    await carol.waitFor(/^bob: /);
    // The terminal is shown as what it printed, beside the two pages.
    const frame = await browser.newPage({ viewport: { width: 1500, height: 520 } });
    const terminal = [...carol.lines.slice(0, typedAt), typed, ...carol.lines.slice(typedAt)].join('\n');
    await frame.setContent(`<!doctype html><style>
      body{margin:0;display:flex;gap:8px;padding:8px;background:#ddd;font:13px system-ui}
      iframe{width:480px;height:500px;border:1px solid #999;background:#fff}
      pre{width:480px;height:468px;margin:0;padding:16px;background:#111;color:#ddd;font:13px ui-monospace,monospace;white-space:pre-wrap}
      </style><iframe></iframe><iframe></iframe><pre></pre>`);
    await frame.locator('pre').evaluate((pre, text) => {
      pre.textContent = text;
    }, `$ nc 127.0.0.1 8071\ncarol\n${terminal}`);
    // Each page's current state, without its script (the copy is a picture, not a second member).
    for (const [index, page] of [alice, bob].entries()) {
      const html = (await page.content()).replace(/<script[^>]*><\/script>/, '');
      await frame
        .locator('iframe')
        .nth(index)
        .evaluate(
          (iframe: { srcdoc: string; onload: unknown }, markup) =>
            new Promise((resolve) => {
              iframe.onload = resolve;
              iframe.srcdoc = markup;
            }),
          html.replace('<head>', `<head><base href="${pageUrl()}">`),
        );
    }
    const target =
      process.env.SCREENSHOT === 'write'
        ? path.join(import.meta.dirname, '../../../examples/03-async/chat-room.png')
        : path.join(tmpdir(), 'chat-room.png');
    await frame.screenshot({ path: target });
    carol.close();
  });
});
