/**
 * CSRF refused in layers: a POST whose Sec-Fetch-Site or Origin says another site sent it is refused with 403
 * and one log line, whatever it carries; so is one without the session's token, or with another session's.
 * Each refusal leaves the board as it was. A client that is not a browser (curl) sends neither header and
 * passes on its token alone.
 */

import { csrfToken } from '@netprog/shared/web-client';
import { expect, it } from 'vitest';
import { describeBoard, nextErrorLine, register, useBoard } from '../../support/board.ts';
import { expectCleanStop } from '../../support/checks.ts';

describeBoard('board CSRF', () => {
  const board = useBoard();

  it('refuses a cross-site POST by its headers, and one without the right token, with 403 and one line each', async () => {
    const { server, client: newClient } = await board.start();
    const alice = newClient();
    await register(alice, 'alice');
    const token = csrfToken((await alice.get('/')).body);
    const mallory = newClient();
    await register(mallory, 'mallory');
    const otherToken = csrfToken((await mallory.get('/')).body);

    const attempts = [
      {
        headers: { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
        csrf: token,
        why: 'Sec-Fetch-Site: cross-site',
      },
      {
        headers: { 'sec-fetch-site': 'same-site', origin: 'https://blog.localhost' },
        csrf: token,
        why: 'Sec-Fetch-Site: same-site',
      },
      // An older browser sends Origin only.
      {
        headers: { 'sec-fetch-site': undefined, origin: 'https://evil.example' },
        csrf: token,
        why: 'Origin: https://evil.example',
      },
      { headers: { 'sec-fetch-site': undefined, origin: 'null' }, csrf: token, why: 'Origin: null' },
      { headers: {}, csrf: '', why: 'no valid CSRF token' },
      { headers: {}, csrf: otherToken, why: 'no valid CSRF token' },
    ];
    for (const { headers, csrf, why } of attempts) {
      const before = server.stderr.length;
      const reply = await alice.post('/posts', { csrf, body: `forged: ${why}` }, headers);
      expect(reply.status, why).toBe(403);
      expect(reply.body).toContain('This form did not come from this board.');
      const logged = await nextErrorLine(server, before);
      expect(logged).toMatch(
        new RegExp(`^refused POST /posts from 127\\.0\\.0\\.1: ${why.replace(/[.]/g, '\\.')}\\n$`),
      );
    }
    expect((await alice.get('/')).body).not.toContain('forged');

    // With its own token and no fetch metadata at all (curl, a script), the same form is accepted.
    const noMetadata = { origin: undefined, 'sec-fetch-site': undefined };
    const scripted = await alice.post('/posts', { csrf: token, body: 'from a script' }, noMetadata);
    expect(scripted).toMatchObject({ status: 303, headers: { location: '/' } });
    expect((await alice.get('/')).body).toContain('from a script');
    await expectCleanStop(server);
  });

  it('needs the token on the login form too, so no other site can log a visitor into its own account', async () => {
    const { server, client: newClient } = await board.start();
    await register(newClient(), 'mallory');
    const visitor = newClient();
    await visitor.get('/login');
    const forced = await visitor.post('/login', { name: 'mallory', password: 'correct horse battery staple' });
    expect(forced.status).toBe(403);
    expect(forced.setCookies).toEqual([]);
    await expectCleanStop(server);
  });
});
