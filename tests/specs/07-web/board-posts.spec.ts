/**
 * The board's posts: what people type is stored and shown as text (markup, attribute breakouts, javascript: links,
 * SQL), every page under the strict CSP with no inline script or style; only an author edits or deletes a post
 * (others 403, a missing post 404); a GET changes nothing; pages are bounded and sorted from a fixed list; forms
 * and bodies have limits; the schema is migrated once and data survives a restart.
 */

import { csrfToken, type WebClient } from '@netprog/shared/web-client';
import { expect, it } from 'vitest';
import { describeBoard, openDatabase, register, useBoard } from '../../support/board.ts';
import { expectCleanStop } from '../../support/checks.ts';

const post = async (client: WebClient, body: string) =>
  client.post('/posts', { csrf: csrfToken((await client.get('/')).body), body });
const postIds = (page: string) =>
  [...page.matchAll(/action="\/posts\/(\d+)\/delete"/g)].map((match) => Number(match[1]));

describeBoard('board posts', () => {
  const board = useBoard();

  it('shows markup, attribute breakouts, javascript: links and SQL as text, under a CSP without inline code', async () => {
    const { server, client: newClient, database } = await board.start();
    const alice = newClient();
    await register(alice, 'alice');
    const payloads = [
      '<script>alert(1)</script>',
      '" onmouseover="alert(1)',
      "' autofocus onfocus='alert(1)",
      '<a href="javascript:alert(1)">click</a>',
      "'); DROP TABLE posts;--",
    ];
    for (const payload of payloads)
      expect(await post(alice, payload)).toMatchObject({ status: 303, headers: { location: '/' } });
    const page = await newClient().get('/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>');
    expect(page.body).toContain('<p>&quot; onmouseover=&quot;alert(1)</p>');
    expect(page.body).toContain('<p>&#39; autofocus onfocus=&#39;alert(1)</p>');
    expect(page.body).toContain('<p>&lt;a href=&quot;javascript:alert(1)&quot;&gt;click&lt;/a&gt;</p>');
    expect(page.body).toContain('<p>&#39;); DROP TABLE posts;--</p>');
    // No script element, and no tag with an inline style or an event handler attribute.
    expect(page.body).not.toMatch(/<script|<[a-z][^>]*\s(style|on\w+)=/i);
    expect(page.headers['content-security-policy']).toBe(
      "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    expect(page.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
      'referrer-policy': 'same-origin',
      'strict-transport-security': 'max-age=3600',
    });
    // The stylesheet is the one place the look comes from, and may be cached.
    const css = await newClient().get('/board.css');
    expect(css).toMatchObject({
      status: 200,
      headers: { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'max-age=3600' },
    });
    const db = openDatabase(database);
    expect(db.prepare('SELECT body FROM posts ORDER BY id').all()).toEqual(payloads.map((body) => ({ body })));
    db.close();
    await expectCleanStop(server);
  });

  it('lets only the author edit or delete: others get 403, a missing post 404, a visitor the login page', async () => {
    const { server, client: newClient } = await board.start();
    const alice = newClient();
    await register(alice, 'alice');
    await post(alice, 'first version');
    const [id] = postIds((await alice.get('/')).body);
    const bob = newClient();
    await register(bob, 'bob');
    const token = csrfToken((await bob.get('/')).body);
    expect((await bob.get(`/posts/${id}/edit`)).status).toBe(403);
    expect((await bob.post(`/posts/${id}/edit`, { csrf: token, body: 'defaced' })).status).toBe(403);
    expect((await bob.post(`/posts/${id}/delete`, { csrf: token })).status).toBe(403);
    expect((await bob.post('/posts/99999/delete', { csrf: token })).status).toBe(404);
    expect((await bob.get('/posts/99999/edit')).status).toBe(404);
    expect((await bob.get('/posts/not-a-number/edit')).status).toBe(400);
    expect(await newClient().get(`/posts/${id}/edit`)).toMatchObject({ status: 303, headers: { location: '/login' } });

    const form = await alice.get(`/posts/${id}/edit`);
    expect(form.body).toContain('>first version</textarea>');
    const edited = await alice.post(`/posts/${id}/edit`, { csrf: csrfToken(form.body), body: 'second version' });
    expect(edited).toMatchObject({ status: 303, headers: { location: '/' } });
    const board1 = (await newClient().get('/')).body;
    expect(board1).toContain('<p>second version</p>');
    expect(board1).toContain('(edited)');
    expect(board1).not.toContain('defaced');
    expect((await alice.post(`/posts/${id}/delete`, { csrf: csrfToken(form.body) })).status).toBe(303);
    expect((await newClient().get('/')).body).toContain('<p>Nothing yet.</p>');
    await expectCleanStop(server);
  });

  it('shows a bad post again with the error (422); a visitor posting is sent to log in; GETs change nothing', async () => {
    const { server, client: newClient } = await board.start();
    const alice = newClient();
    await register(alice, 'alice');
    const empty = await post(alice, '   ');
    expect(empty.status).toBe(422);
    expect(empty.body).toContain('<p class="error">A post is 1 to 500 characters.</p>');
    const long = await post(alice, `${'x'.repeat(501)}`);
    expect(long.status).toBe(422);
    expect(long.body).toContain(`>${'x'.repeat(501)}</textarea>`);
    // A visitor's session (from the login form) has a token, but no account to post as.
    const visitor = newClient();
    const visitorToken = csrfToken((await visitor.get('/login')).body);
    const byVisitor = await visitor.post('/posts', { csrf: visitorToken, body: 'hello' });
    expect(byVisitor).toMatchObject({ status: 303, headers: { location: '/login' } });
    // Logging out is a POST: a link or an <img src="/logout"> on another page cannot do it.
    expect((await alice.get('/logout')).status).toBe(404);
    expect((await alice.get('/')).body).toContain('signed in as alice');
    await expectCleanStop(server);
  });

  it('pages 20 posts at a time by default, at most 50, sorted newest or oldest; other values get 400', async () => {
    const { server, client: newClient } = await board.start();
    const alice = newClient();
    await register(alice, 'alice');
    for (let n = 1; n <= 25; n += 1) await post(alice, `post ${n}`);
    const shown = (page: string) => [...page.matchAll(/<p>(post \d+)<\/p>/g)].map((match) => match[1]);
    const first = await alice.get('/');
    expect(shown(first.body)).toEqual(Array.from({ length: 20 }, (_, i) => `post ${25 - i}`));
    expect(first.body).toContain('<a href="/?page=2&amp;size=20&amp;sort=newest">Older</a>');
    const second = await alice.get('/?page=2');
    expect(shown(second.body)).toEqual(['post 5', 'post 4', 'post 3', 'post 2', 'post 1']);
    expect(second.body).not.toContain('>Older<');
    expect(shown((await alice.get('/?sort=oldest&size=3')).body)).toEqual(['post 1', 'post 2', 'post 3']);
    for (const query of ['size=51', 'size=0', 'size=2x', 'page=0', 'page=1001', 'sort=body', 'sort=id;DROP']) {
      const refused = await alice.get(`/?${query}`);
      expect(refused.status, query).toBe(400);
      expect(refused.body).toContain('<h1>Bad Request</h1>');
    }
    // A parameter the board does not know is dropped, not obeyed.
    expect(shown((await alice.get('/?order=body&size=1')).body)).toEqual(['post 25']);
    await expectCleanStop(server);
  });

  it('answers a body over --body-limit with 413 and a form of another type with 415, and serves on', async () => {
    const { server, client: newClient } = await board.start(['--body-limit', '2048']);
    const alice = newClient();
    await register(alice, 'alice');
    const token = csrfToken((await alice.get('/')).body);
    const big = await alice.post('/posts', { csrf: token, body: 'x'.repeat(3000) });
    expect(big.status).toBe(413);
    expect(big.body).toContain('<h1>Payload Too Large</h1>');
    const json = await alice.request(
      'POST',
      '/posts',
      { 'content-type': 'application/json', origin: alice.origin },
      '{}',
    );
    expect(json.status).toBe(415);
    expect(await post(alice, 'still here')).toMatchObject({ status: 303 });
    await expectCleanStop(server);
  });

  it('migrates a new database to the latest schema once, and keeps the posts across a restart', async () => {
    const database = board.newDatabase();
    const first = await board.start([], database);
    const alice = first.client();
    await register(alice, 'alice');
    await post(alice, 'kept');
    await expectCleanStop(first.server);
    const db = openDatabase(database);
    expect(db.prepare('PRAGMA user_version').get()).toEqual({ user_version: 3 });
    db.close();
    const second = await board.start([], database);
    expect((await second.client().get('/')).body).toContain('<p>kept</p>');
    await expectCleanStop(second.server);
  });
});
