/**
 * The board's sessions over real HTTPS: the cookie's flags, a new session at login and at logout (the old token
 * then signs nobody in), and the idle and absolute timeouts. Time is moved by ageing the session's row in the
 * database, which is all the board reads the time from, so no test waits for a timeout to pass.
 */

import { WebClient } from '@netprog/shared/web-client';
import { expect, it } from 'vitest';
import { describeBoard, logIn, openDatabase, register, useBoard } from '../../support/board.ts';
import { expectCleanStop } from '../../support/checks.ts';

const signedInAs = (page: string) => /signed in as ([^<]+)</.exec(page)?.[1];

describeBoard('board sessions', () => {
  const board = useBoard();

  it('sets one cookie: __Host-session, Secure, HttpOnly, SameSite=Lax, Path=/, no Domain', async () => {
    const { server, client } = await board.start();
    const form = await client().get('/login');
    expect(form.status).toBe(200);
    expect(form.setCookies).toHaveLength(1);
    expect(form.setCookies[0]).toMatch(/^__Host-session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; Secure; SameSite=Lax$/);
    // The public board needs no session, so a visitor who only reads gets no cookie.
    expect((await client().get('/')).setCookies).toEqual([]);
    await expectCleanStop(server);
  });

  it('gives a new session at login and at logout; the old tokens sign nobody in', async () => {
    const { server, client: newClient, database } = await board.start();
    await register(newClient(), 'alice');
    const client = newClient();
    await client.get('/login');
    const anonymous = client.cookies.get('__Host-session');
    expect((await logIn(client, 'alice')).status).toBe(303);
    const signedIn = client.cookies.get('__Host-session');
    expect(signedIn).not.toBe(anonymous);
    expect(signedInAs((await client.get('/')).body)).toBe('alice');

    // An attacker who planted the anonymous token before the login holds nothing now.
    const planted = new WebClient(server.port, board.certs.tlsProbe());
    planted.cookies.set('__Host-session', anonymous ?? '');
    expect(signedInAs((await planted.get('/')).body)).toBeUndefined();

    const page = await client.get('/');
    const logout = await client.post('/logout', { csrf: /name="csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '' });
    expect(logout).toMatchObject({ status: 303, headers: { location: '/' } });
    expect(client.cookies.get('__Host-session')).not.toBe(signedIn);
    expect(signedInAs((await client.get('/')).body)).toBeUndefined();
    const stolen = new WebClient(server.port, board.certs.tlsProbe());
    stolen.cookies.set('__Host-session', signedIn ?? '');
    expect(signedInAs((await stolen.get('/')).body)).toBeUndefined();

    // Only hashes of tokens are stored: the database holds no cookie value.
    const db = openDatabase(database);
    const rows = db.prepare('SELECT token_hash FROM sessions').all() as Array<{ token_hash: string }>;
    db.close();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.map((row) => row.token_hash)).not.toContain(client.cookies.get('__Host-session'));
    await expectCleanStop(server);
  });

  it('ends a session unused for --idle-timeout and one older than --absolute-timeout, used or not', async () => {
    const idleMs = 30 * 60_000;
    const absoluteMs = 8 * 3_600_000;
    const {
      server,
      client: newClient,
      database,
    } = await board.start(['--idle-timeout', String(idleMs), '--absolute-timeout', String(absoluteMs)]);
    const db = openDatabase(database);
    const alice = newClient();
    await register(alice, 'alice');
    const bob = newClient();
    await register(bob, 'bob');
    const carol = newClient();
    await register(carol, 'carol');
    const shift = (name: string, column: string, byMs: number) =>
      db
        .prepare(`UPDATE sessions SET ${column} = ${column} - ? WHERE user_id = (SELECT id FROM users WHERE name = ?)`)
        .run(byMs, name);

    // alice has been away a minute less than the idle timeout, bob a minute more.
    shift('alice', 'seen_at', idleMs - 60_000);
    shift('bob', 'seen_at', idleMs + 60_000);
    // carol has used the board all along (seen now), but signed in longer ago than the absolute timeout.
    shift('carol', 'created_at', absoluteMs + 60_000);
    expect(signedInAs((await alice.get('/')).body)).toBe('alice');
    expect(signedInAs((await bob.get('/')).body)).toBeUndefined();
    expect(signedInAs((await carol.get('/')).body)).toBeUndefined();
    // An ended session is deleted, not only ignored.
    const left = () => db.prepare('SELECT users.name FROM sessions JOIN users ON users.id = user_id ORDER BY 1').all();
    expect(left()).toEqual([{ name: 'alice' }]);
    await expectCleanStop(server);

    // Sessions that timed out while the board was down are deleted when it starts, used again or not.
    shift('alice', 'seen_at', idleMs + 60_000);
    const again = await board.start(['--idle-timeout', String(idleMs)], database);
    expect(left()).toEqual([]);
    db.close();
    await expectCleanStop(again.server);
  });
});
