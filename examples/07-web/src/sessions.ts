/**
 * Server-side sessions in the database, the counterpart of Flask's `session` (which, unlike this, is the whole
 * session signed into the cookie, so it cannot be revoked). The browser holds only a random 256-bit token in a
 * cookie the page's scripts cannot read; the row says who is signed in, when the session began and when it was
 * last used, so the server can end it: at logout, at an idle timeout and at an absolute one.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';

export interface Session {
  tokenHash: string;
  userId: number | null;
  userName: string | null;
  csrfToken: string;
  createdAt: number;
  seenAt: number;
}
export interface Timeouts {
  idleMs: number;
  absoluteMs: number;
}

// __Host- makes the browser refuse the cookie unless it is Secure, for the whole site (Path=/) and from this very
// host (no Domain): a neighbouring subdomain or a plain-HTTP page cannot plant a session. SameSite=Lax keeps the
// cookie off cross-site POSTs (the first layer against CSRF, see csrf.ts) and HttpOnly hides it from scripts.
export const cookieName = '__Host-session';
export const cookieOptions = { path: '/', secure: true, httpOnly: true, sameSite: 'lax' } as const;

const hashOf = (token: string) => createHash('sha256').update(token).digest('base64url');
// seen_at is written at most once a minute per session, so a signed-in page costs one read and no write.
const touchEveryMs = 60_000;

export function sessionStore(database: DatabaseSync, { idleMs, absoluteMs }: Timeouts) {
  const find = database.prepare(
    `SELECT token_hash AS tokenHash, user_id AS userId, users.name AS userName, csrf_token AS csrfToken,
            sessions.created_at AS createdAt, seen_at AS seenAt
       FROM sessions LEFT JOIN users ON users.id = sessions.user_id WHERE token_hash = ?`,
  );
  const insert = database.prepare(
    'INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, seen_at) VALUES (?, ?, ?, ?, ?)',
  );
  const remove = database.prepare('DELETE FROM sessions WHERE token_hash = ?');
  const touch = database.prepare('UPDATE sessions SET seen_at = ? WHERE token_hash = ?');
  const removeExpired = database.prepare('DELETE FROM sessions WHERE seen_at < ? OR created_at < ?');

  return {
    /** The live session a cookie's token names, or undefined; one that has timed out is deleted. */
    load(token: string | undefined): Session | undefined {
      if (!token) return undefined;
      const now = Date.now();
      const session = find.get(hashOf(token)) as Session | undefined;
      if (!session) return undefined;
      if (now - session.seenAt > idleMs || now - session.createdAt > absoluteMs) {
        remove.run(session.tokenHash);
        return undefined;
      }
      if (now - session.seenAt > touchEveryMs) touch.run(now, session.tokenHash);
      return session;
    },
    /** A new session with a new token and a new CSRF token: at the first form, at login and at logout. */
    start(user: { id: number; name: string } | null): { token: string; session: Session } {
      const now = Date.now();
      const token = randomBytes(32).toString('base64url');
      const session: Session = {
        tokenHash: hashOf(token),
        userId: user?.id ?? null,
        userName: user?.name ?? null,
        csrfToken: randomBytes(32).toString('base64url'),
        createdAt: now,
        seenAt: now,
      };
      insert.run(session.tokenHash, session.userId, session.csrfToken, now, now);
      return { token, session };
    },
    end(session: Session): void {
      remove.run(session.tokenHash);
    },
    /** Deletes every timed-out session; the board runs it now and then, so abandoned rows do not pile up. */
    prune(): number {
      const now = Date.now();
      return Number(removeExpired.run(now - idleMs, now - absoluteMs).changes);
    },
  };
}
export type SessionStore = ReturnType<typeof sessionStore>;
