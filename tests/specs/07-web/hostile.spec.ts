/**
 * The board against awkward and hostile clients, over verified TLS: a malformed request, headers sent too slowly,
 * a client that resets in the middle of its form, plain HTTP on the HTTPS port. Each gets a bounded answer or
 * none, and the board serves on. And a signal in the middle of a login: the login is answered, then the board
 * stops with exit 0.
 */
import { connect, exchange, readToEnd, reset } from '@netprog/shared/tcp';
import { expect, it } from 'vitest';
import { describeBoard, logIn, useBoard } from '../../support/board.ts';
import { expectCleanStop, withoutNodeWarnings } from '../../support/checks.ts';

describeBoard('board against hostile clients', () => {
  const board = useBoard();

  it('answers a malformed request 400, cuts slow headers, survives a reset mid-form and plain HTTP', async () => {
    const { server, client } = await board.start(['--headers-timeout', '500']);
    const probe = { tls: board.certs.tlsProbe() };
    const malformed = await exchange(server.port, 'NOT HTTP AT ALL\r\n\r\n', probe);
    expect(malformed.toString('latin1')).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);

    // Headers that never end: closed once --headers-timeout has passed (Node answers 408 first).
    const slow = await connect(server.port, probe);
    slow.write('GET / HTTP/1.1\r\nHost: localhost\r\n');
    const cut = await readToEnd(slow, { timeoutMs: 10_000 });
    expect(cut.toString('latin1')).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);

    const halfForm = await connect(server.port, probe);
    halfForm.write(
      'POST /login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 500\r\n\r\nname=al',
    );
    reset(halfForm);

    const plain = await exchange(server.port, 'GET / HTTP/1.1\r\nHost: localhost\r\n\r\n').catch(() => Buffer.alloc(0));
    expect(plain.toString('latin1')).not.toMatch(/^HTTP/);

    expect((await client().get('/')).status).toBe(200);
    expect(withoutNodeWarnings(server.stderr)).toBe('');
    await expectCleanStop(server);
  });

  it('on SIGTERM mid-login, answers the logins it holds, refuses new connections, and exits 0', async () => {
    const { server, client } = await board.start(['--scrypt-cost', '17', '--hashes-at-once', '1', '--hash-queue', '1']);
    const visitors = [client(), client(), client()];
    await Promise.all(visitors.map((visitor) => visitor.get('/login')));
    // One login hashes (most of a second at N=2^17), one waits its turn, and the third is refused with 503:
    // that refusal is the sign that the other two are inside the board when the signal comes.
    const logins = visitors.map((visitor) => logIn(visitor, 'nobody', 'a password of nobody at all'));
    const busy = await Promise.any(
      logins.map((login) => login.then((reply) => (reply.status === 503 ? reply : Promise.reject(reply)))),
    );
    expect(busy.headers['retry-after']).toBe('1');
    const stopped = server.stop({ signal: 'SIGTERM', deadlineMs: 10_000 });
    await server.waitForLine(/^SIGTERM: no longer accepting/);
    await expect(connect(server.port, { timeoutMs: 2000 })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    const statuses = (await Promise.all(logins)).map((reply) => reply.status).sort();
    expect(statuses).toEqual([422, 422, 503]);
    expect(await stopped).toMatchObject({ exitCode: 0, killed: false });
    expect(server.stdoutLines.at(-1)).toBe('stopped');
  });
});
