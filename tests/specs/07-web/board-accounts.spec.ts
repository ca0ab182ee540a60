/**
 * Accounts: a form that fails validation comes back with the errors and what was typed (never the password); a
 * wrong password and an unknown name get the same answer; logins are throttled per account and per address with
 * 429 and Retry-After; the shipped scrypt parameters work and an older hash is made again at login; a burst of
 * logins past the hashing queue is answered 503 at once.
 */
import { expect, it } from 'vitest';
import { describeBoard, logIn, openDatabase, register, useBoard } from '../../support/board.ts';
import { expectCleanStop } from '../../support/checks.ts';

const password = 'correct horse battery staple';

describeBoard('board accounts', () => {
  const board = useBoard();

  it('shows the register form again with each error and the name typed, 422, and no password in the page', async () => {
    const { server, client: newClient } = await board.start();
    await register(newClient(), 'alice');
    const client = newClient();
    const cases = [
      { name: 'al', password, error: 'A name is 3 to 32 letters, digits, - or _.' },
      { name: '<b>x</b>', password, error: 'A name is 3 to 32 letters, digits, - or _.' },
      { name: 'ALICE', password, error: 'That name is taken.' },
      { name: 'bob', password: 'too short', error: 'A password is 15 to 128 characters.' },
      { name: 'bob', password: 'x'.repeat(129), error: 'A password is 15 to 128 characters.' },
    ];
    for (const attempt of cases) {
      const reply = await client.submit('/register', '/register', { name: attempt.name, password: attempt.password });
      expect(reply.status, attempt.name).toBe(422);
      expect(reply.body).toContain(`<p class="error">${attempt.error}</p>`);
      expect(reply.body).toContain(`value="${attempt.name.replace(/</g, '&lt;').replace(/>/g, '&gt;')}"`);
      expect(reply.body).not.toContain(attempt.password);
    }
    // A repeated field is not a string: refused as no name at all, not a crash.
    const page = await client.get('/register');
    const token = /name="csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const twice = await client.request(
      'POST',
      '/register',
      { 'content-type': 'application/x-www-form-urlencoded', origin: client.origin },
      `csrf=${token}&name=a&name=b&password=${encodeURIComponent(password)}`,
    );
    expect(twice.status).toBe(422);
    await expectCleanStop(server);
  });

  it('answers a wrong password and an unknown name with the same page, and logs in with the right one', async () => {
    const { server, client: newClient } = await board.start();
    await register(newClient(), 'alice');
    const client = newClient();
    const wrongPassword = await logIn(client, 'alice', 'not the password at all');
    const unknownName = await logIn(client, 'zed', 'not the password at all');
    // Same session, so same CSRF token: the two pages differ only in the name typed back.
    expect(wrongPassword.status).toBe(422);
    expect(unknownName.status).toBe(422);
    expect(wrongPassword.body.replace('value="alice"', 'value="zed"')).toBe(unknownName.body);
    expect(wrongPassword.body).toContain('Wrong name or password.');
    expect(wrongPassword.setCookies).toEqual(unknownName.setCookies);
    // A name is compared whole: one character more than a 32-character name is nobody's.
    await register(newClient(), 'b'.repeat(32));
    expect((await logIn(client, 'b'.repeat(33), password)).status).toBe(422);
    expect(await logIn(client, 'Alice', password)).toMatchObject({ status: 303, headers: { location: '/' } });
    expect((await client.get('/')).body).toContain('signed in as alice');
    await expectCleanStop(server);
  });

  it('throttles failed logins per account (--login-failures) and attempts per address (--address-attempts): 429, Retry-After', async () => {
    const { server, client: newClient } = await board.start(['--login-failures', '3', '--address-attempts', '7']);
    await register(newClient(), 'alice');
    const client = newClient();
    for (let attempt = 1; attempt <= 3; attempt += 1)
      expect((await logIn(client, 'alice', `guess number ${attempt}`)).status).toBe(422);
    // The fourth try is refused before any hashing, even with the right password.
    const limited = await logIn(client, 'alice', password);
    expect(limited.status).toBe(429);
    const wait = Number(limited.headers['retry-after']);
    expect(wait).toBeGreaterThan(800);
    expect(wait).toBeLessThanOrEqual(900);
    expect(limited.body).toContain(`Too many attempts; try again in ${wait} s.`);
    // Another account from the same address still may, until the address has used its 7 attempts
    // (so far 1 registration and 4 logins).
    await register(newClient(), 'bob');
    expect((await logIn(newClient(), 'bob', password)).status).toBe(303);
    expect((await logIn(newClient(), 'bob', password)).status).toBe(429);
    await expectCleanStop(server);
  });

  it('hashes at the shipped cost (scrypt N=2^17, r=8, p=1) and re-hashes an older hash at login', async () => {
    const database = board.newDatabase();
    const cheap = await board.start(['--scrypt-cost', '10'], database);
    await register(cheap.client(), 'alice');
    await expectCleanStop(cheap.server);
    const hashOf = () => {
      const db = openDatabase(database);
      const row = db.prepare('SELECT password_hash AS hash FROM users').get() as { hash: string };
      db.close();
      return row.hash;
    };
    expect(hashOf()).toMatch(/^scrypt\$10\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);

    // The default cost, as a user runs the board: the login checks the old hash and stores a new one.
    const shipped = await board.start(['--scrypt-cost', '17'], database);
    expect(await logIn(shipped.client(), 'alice', password)).toMatchObject({ status: 303 });
    const rehashed = hashOf();
    expect(rehashed).toMatch(/^scrypt\$17\$8\$1\$/);
    expect(await logIn(shipped.client(), 'alice', password)).toMatchObject({ status: 303 });
    expect(hashOf()).toBe(rehashed);
    await expectCleanStop(shipped.server);
  });

  it('answers 503 with Retry-After to logins past the hashing queue, and serves pages meanwhile', async () => {
    const { server, client: newClient } = await board.start([
      '--scrypt-cost',
      '17',
      '--hashes-at-once',
      '1',
      '--hash-queue',
      '1',
    ]);
    const clients = await Promise.all(
      Array.from({ length: 4 }, async () => {
        const client = newClient();
        await client.get('/login');
        return client;
      }),
    );
    const logins = Promise.all(clients.map((client) => logIn(client, 'nobody', 'not a password of anyone')));
    // The hashing runs off the event loop: the board answers a page while it works.
    const page = await newClient().get('/');
    const replies = await logins;
    expect(page.status).toBe(200);
    const statuses = replies.map((reply) => reply.status).sort();
    // One hashes, one waits for it; the other two are told to come back.
    expect(statuses).toEqual([422, 422, 503, 503]);
    expect(replies.find((reply) => reply.status === 503)?.headers['retry-after']).toBe('1');
    await expectCleanStop(server);
  });
});
