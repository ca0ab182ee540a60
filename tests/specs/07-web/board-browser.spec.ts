/**
 * The board in a real browser (headless Chromium, driven by playwright-core), over HTTPS that Chromium verifies:
 * the development CA is added to the NSS database of the browser's own temporary home, as a learner would add it
 * to theirs. One journey: register, see the cookie's flags as the browser keeps them, post markup and see it as
 * text, log out, log in, and then a page on another origin whose form submits itself to the board, refused.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeBoard, nextErrorLine, useBoard } from '../../support/board.ts';
import { expectCleanStop } from '../../support/checks.ts';
import { chromiumPath, hasCertutil, noCertutil, noChromium } from '../../support/tools.ts';

const missing = !chromiumPath ? noChromium : !hasCertutil ? noCertutil : undefined;
if (missing && process.env.CI) it('runs the board in Chromium', () => expect.fail(missing));

/** A home directory whose NSS database trusts `caFile` to identify web sites, as `certutil -A -t C,,` makes it. */
function homeTrusting(caFile: string): string {
  const home = mkdtempSync(path.join(tmpdir(), 'chromium-home-'));
  const nssdb = path.join(home, '.pki', 'nssdb');
  mkdirSync(nssdb, { recursive: true });
  execFileSync('certutil', ['-d', `sql:${nssdb}`, '-N', '--empty-password']);
  execFileSync('certutil', ['-d', `sql:${nssdb}`, '-A', '-t', 'C,,', '-n', 'board development CA', '-i', caFile]);
  return home;
}

describeBoard(`board in Chromium${missing ? ` (skipped: ${missing})` : ''}`, () => {
  const board = useBoard();

  it.skipIf(missing)('register, post, log out, log in; another origin’s self-submitting form is refused', async () => {
    const { server } = await board.start();
    const home = homeTrusting(board.certs.file('ca.crt'));
    const origin = `https://localhost:${server.port}`;
    // The other site: a page on another origin whose hidden form posts itself to the board at once.
    const attacker = http.createServer((_request, response) => {
      response.setHeader('content-type', 'text/html');
      response.end(`<!doctype html><form method="post" action="${origin}/posts">
        <input name="body" value="forged by another site"><input name="csrf" value="a guess"></form>
        <script>document.forms[0].submit()</script>`);
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    // Verification is on: a browser whose home does not trust the CA refuses the board.
    const untrusting = mkdtempSync(path.join(tmpdir(), 'chromium-home-'));
    const stranger = await chromium.launch({ executablePath: chromiumPath, env: { ...process.env, HOME: untrusting } });
    await expect((await stranger.newPage()).goto(`${origin}/`)).rejects.toThrow(/ERR_CERT_AUTHORITY_INVALID/);
    await stranger.close();
    rmSync(untrusting, { recursive: true, force: true });
    const browser = await chromium.launch({ executablePath: chromiumPath, env: { ...process.env, HOME: home } });
    try {
      const context = await browser.newContext();
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('dialog', (dialog) => problems.push(`a dialog opened: ${dialog.message()}`));
      page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));

      await page.goto(`${origin}/register`);
      await page.fill('#name', 'alice');
      await page.fill('#password', 'correct horse battery staple');
      await page.click('button:has-text("Register")');
      await page.getByText('signed in as alice').waitFor();
      expect(page.url()).toBe(`${origin}/`);
      const cookies = await context.cookies();
      expect(
        cookies.map(({ name, path, secure, httpOnly, sameSite }) => ({ name, path, secure, httpOnly, sameSite })),
      ).toEqual([{ name: '__Host-session', path: '/', secure: true, httpOnly: true, sameSite: 'Lax' }]);
      expect(await page.evaluate('document.cookie')).toBe('');

      await page.fill('#body', 'Hello from Chromium <script>alert(1)</script>');
      await page.click('button:has-text("Post")');
      await page.locator('article p', { hasText: 'Hello from Chromium <script>alert(1)</script>' }).waitFor();

      await page.click('button:has-text("Log out")');
      await page.getByRole('link', { name: 'Log in' }).click();
      await page.fill('#name', 'alice');
      await page.fill('#password', 'correct horse battery staple');
      await page.click('main button:has-text("Log in")');
      await page.getByText('signed in as alice').waitFor();

      const before = server.stderr.length;
      await page.goto(`http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`);
      await page.waitForURL(`${origin}/posts`);
      await page.getByRole('heading', { name: 'Refused' }).waitFor();
      const logged = await nextErrorLine(server, before);
      expect(logged).toBe('refused POST /posts from 127.0.0.1: Sec-Fetch-Site: cross-site\n');
      await page.goto(`${origin}/`);
      await page.getByText('signed in as alice').waitFor();
      expect(await page.locator('article p').allTextContents()).toEqual([
        'Hello from Chromium <script>alert(1)</script>',
      ]);
      // No script ran, and nothing failed but the refusal: the CSP had nothing to block on the board's pages.
      expect(problems).toEqual(['Failed to load resource: the server responded with a status of 403 (Forbidden)']);
    } finally {
      await browser.close();
      attacker.close();
      rmSync(home, { recursive: true, force: true });
    }
    await expectCleanStop(server);
  });
});
