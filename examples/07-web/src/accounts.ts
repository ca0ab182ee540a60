/**
 * Register, log in, log out: the counterpart of flaskr's auth blueprint (tutorial 002 §2.2), with what it leaves
 * out. Each form posts back to its own page; a mistake shows the form again with what was typed and why, and a
 * success redirects (303), so reloading the next page never sends the form twice. Login answers a wrong name
 * and a wrong password alike, after the same work, and is throttled per account and per address.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type Board, refuse, sendPage, startSession, viewerOf } from './board-app.ts';
import { QueueFull } from './hash-queue.ts';
import { accountPage } from './pages.ts';
import { checkPassword, hashPassword } from './passwords.ts';

export interface Limits {
  /** Failed logins per account in a window, then 429. */
  failuresPerAccount: number;
  /** Login and register attempts per address in a window, then 429. */
  attemptsPerAddress: number;
  windowMs: number;
}

const field = (request: FastifyRequest, name: string) => {
  const value = (request.body as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : '';
};
const namePattern = /^[A-Za-z0-9_-]{3,32}$/;
// NIST SP 800-63B-4 asks at least 15 characters for a password that is the only factor, and to accept at least 64.
const passwordLength = { min: 15, max: 128 };

export function accountRoutes(app: FastifyInstance, board: Board) {
  const { failuresPerAccount, attemptsPerAddress, windowMs } = board.limits;
  const byAddress = app.createRateLimit({ max: attemptsPerAddress, timeWindow: windowMs });
  const byAccount = app.createRateLimit({
    max: failuresPerAccount,
    timeWindow: windowMs,
    keyGenerator: (request) => `account:${field(request, 'name').slice(0, 32).toLowerCase()}`,
  });
  const findUser = board.database.prepare('SELECT id, name, password_hash AS hash FROM users WHERE name = ?');
  const insertUser = board.database.prepare('INSERT INTO users (name, password_hash, created_at) VALUES (?, ?, ?)');
  const updateHash = board.database.prepare('UPDATE users SET password_hash = ? WHERE id = ?');

  // A form needs a session to carry its CSRF token, also before anyone has logged in.
  const showForm = (kind: 'login' | 'register') => async (request: FastifyRequest, reply: FastifyReply) => {
    if (!request.session) startSession(board, request, reply, null);
    return sendPage(reply, accountPage(kind, viewerOf(request)));
  };
  app.get('/login', showForm('login'));
  app.get('/register', showForm('register'));

  // How long until a limit's window ends, if this attempt is refused. A counted attempt is refused past the limit;
  // a peek (increment: false) sees only the attempts before this one, so it refuses once none are left.
  type Limit = Awaited<ReturnType<typeof byAddress>>;
  const secondsToWait = (limit: Limit, counted: boolean) => {
    if (limit.isAllowed) return undefined;
    return (counted ? limit.isExceeded : limit.remaining === 0) ? limit.ttlInSeconds : undefined;
  };
  const tooMany = (request: FastifyRequest, reply: FastifyReply, seconds: number) => {
    reply.header('retry-after', String(seconds));
    return refuse(request, reply, 429, 'Too many attempts', `Too many attempts; try again in ${seconds} s.`);
  };
  // The hashing is bounded (hash-queue.ts): past the bound the answer is at once, and says when to come back.
  const hashing = async <T>(request: FastifyRequest, reply: FastifyReply, job: () => Promise<T>) => {
    try {
      return await board.hash(job);
    } catch (error) {
      if (!(error instanceof QueueFull)) throw error;
      reply.header('retry-after', '1');
      refuse(request, reply, 503, 'Busy', 'The board is busy; try again in a moment.');
      return undefined;
    }
  };

  app.post('/register', async (request, reply) => {
    const wait = secondsToWait(await byAddress(request), true);
    if (wait !== undefined) return tooMany(request, reply, wait);
    const name = field(request, 'name');
    const password = field(request, 'password');
    const errors: Record<string, string> = {};
    if (!namePattern.test(name)) errors.name = 'A name is 3 to 32 letters, digits, - or _.';
    else if (findUser.get(name)) errors.name = 'That name is taken.';
    if (password.length < passwordLength.min || password.length > passwordLength.max)
      errors.password = `A password is ${passwordLength.min} to ${passwordLength.max} characters.`;
    if (Object.keys(errors).length > 0)
      return sendPage(reply, accountPage('register', viewerOf(request), name, errors), 422);
    const hash = await hashing(request, reply, () => hashPassword(password, board.cost));
    if (hash === undefined) return reply;
    // Two people may have asked for the same free name at once: the UNIQUE index lets one have it.
    let id: number;
    try {
      id = Number(insertUser.run(name, hash, Date.now()).lastInsertRowid);
    } catch (error) {
      if (!String((error as Error).message).includes('UNIQUE')) throw error;
      return sendPage(reply, accountPage('register', viewerOf(request), name, { name: 'That name is taken.' }), 422);
    }
    startSession(board, request, reply, { id, name });
    return reply.redirect('/', 303);
  });

  app.post('/login', async (request, reply) => {
    const wait =
      secondsToWait(await byAddress(request), true) ??
      secondsToWait(await byAccount(request, { increment: false }), false);
    if (wait !== undefined) return tooMany(request, reply, wait);
    // (Neither is cut short: a longer name is nobody's, and the body limit bounds what the hash reads.)
    const name = field(request, 'name');
    const password = field(request, 'password');
    const user = findUser.get(name) as { id: number; name: string; hash: string } | undefined;
    const result = await hashing(request, reply, () => checkPassword(password, user?.hash, board.cost));
    if (result === undefined) return reply;
    if (!user || !result.matches) {
      await byAccount(request);
      const errors = { form: 'Wrong name or password.' };
      return sendPage(reply, accountPage('login', viewerOf(request), name, errors), 422);
    }
    // The password is known right now, so a hash made at older parameters is made again at today's; when the
    // hashing is busy, at a later login.
    if (result.rehash) {
      const hash = await board
        .hash(() => hashPassword(password, board.cost))
        .catch((error) => {
          if (error instanceof QueueFull) return undefined;
          throw error;
        });
      if (hash) updateHash.run(hash, user.id);
    }
    startSession(board, request, reply, { id: user.id, name: user.name });
    return reply.redirect('/', 303);
  });

  app.post('/logout', async (request, reply) => {
    startSession(board, request, reply, null);
    return reply.redirect('/', 303);
  });
}
