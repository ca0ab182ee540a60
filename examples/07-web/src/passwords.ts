/**
 * Passwords stored as scrypt hashes (node:crypto), the counterpart of Werkzeug's generate_password_hash and
 * check_password_hash. scrypt is slow and memory-hard on purpose: at OWASP's parameters (N = 2^17, r = 8, p = 1)
 * one guess costs about 128 MiB and most of a second of a core, for the attacker with a stolen database too.
 * A stored hash names its own parameters, so raising the cost later re-hashes each password at its next login.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

export interface Cost {
  /** N = 2^log2N: memory and time grow with it. */
  log2N: number;
  r: number;
  p: number;
}
export const owaspCost: Cost = { log2N: 17, r: 8, p: 1 };
const keyBytes = 32;

function derive(password: string, salt: Buffer, { log2N, r, p }: Cost): Promise<Buffer> {
  const N = 2 ** log2N;
  // scrypt needs 128 * N * r bytes; Node refuses more than maxmem (32 MiB by default), so say what it may use.
  const maxmem = 2 * 128 * N * r;
  return new Promise((resolve, reject) => {
    // NFC: the same password typed on two keyboards may arrive as different code points.
    scrypt(password.normalize('NFC'), salt, keyBytes, { N, r, p, maxmem }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** "scrypt$17$8$1$<salt>$<key>": the parameters travel with the hash. */
export async function hashPassword(password: string, cost: Cost): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, cost);
  return ['scrypt', cost.log2N, cost.r, cost.p, salt.toString('base64'), key.toString('base64')].join('$');
}

// Hashing for an unknown name with this fixed salt does the same work as checking a real one, so the time an
// answer takes does not tell whether the name exists.
const unknownNameSalt = randomBytes(16);

/**
 * Whether `password` matches `stored` (undefined for a name nobody has), and whether the hash should be made again
 * at `cost` because it was made at other parameters.
 */
export async function checkPassword(password: string, stored: string | undefined, cost: Cost) {
  const [scheme, log2N, r, p, salt, key] = (stored ?? '').split('$');
  if (scheme !== 'scrypt' || !salt || !key) {
    await derive(password, unknownNameSalt, cost);
    return { matches: false, rehash: false };
  }
  const storedCost = { log2N: Number(log2N), r: Number(r), p: Number(p) };
  const expected = Buffer.from(key, 'base64');
  const derived = await derive(password, Buffer.from(salt, 'base64'), storedCost);
  const matches = derived.length === expected.length && timingSafeEqual(derived, expected);
  const rehash = matches && (storedCost.log2N !== cost.log2N || storedCost.r !== cost.r || storedCost.p !== cost.p);
  return { matches, rehash };
}
