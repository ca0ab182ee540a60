/**
 * The board's SQLite database through node:sqlite, Node's built-in driver (the counterpart of Python's
 * sqlite3.connect, tutorial 002 §2.2's "database access"). The schema is a numbered list of migrations: the file
 * remembers how many it has had in SQLite's user_version, and at start each missing one runs in a transaction,
 * so a half-applied migration never stays. Add a migration at the end; never edit one that has shipped.
 */
import { DatabaseSync } from 'node:sqlite';

const migrations = [
  // 1: accounts. NOCASE makes "Alice" and "alice" one name.
  `CREATE TABLE users (
     id INTEGER PRIMARY KEY,
     name TEXT NOT NULL UNIQUE COLLATE NOCASE,
     password_hash TEXT NOT NULL,
     created_at INTEGER NOT NULL)`,
  // 2: sessions, kept on the server. The cookie holds a random token; only its SHA-256 is stored,
  // so a copy of the database does not hand out live sessions.
  `CREATE TABLE sessions (
     token_hash TEXT PRIMARY KEY,
     user_id INTEGER REFERENCES users (id) ON DELETE CASCADE,
     csrf_token TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     seen_at INTEGER NOT NULL);
   CREATE INDEX sessions_by_seen_at ON sessions (seen_at)`,
  // 3: the posts, newest first on the board.
  `CREATE TABLE posts (
     id INTEGER PRIMARY KEY,
     user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
     body TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     edited_at INTEGER);
   CREATE INDEX posts_by_created_at ON posts (created_at, id)`,
];

export function openDatabase(file: string): DatabaseSync {
  const database = new DatabaseSync(file);
  // WAL lets readers go on while one writer commits; busy_timeout waits for a lock instead of failing.
  database.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000');
  database.exec('PRAGMA foreign_keys = ON');
  const { user_version: applied } = database.prepare('PRAGMA user_version').get() as { user_version: number };
  if (applied > migrations.length) {
    throw new Error(`${file} has had ${applied} migrations and this board knows ${migrations.length}: is it newer?`);
  }
  for (const [index, migration] of migrations.entries()) {
    if (index < applied) continue;
    database.exec('BEGIN');
    try {
      database.exec(migration);
      // (A PRAGMA takes no parameters; the number is the program's own, never the user's.)
      database.exec(`PRAGMA user_version = ${index + 1}`);
      database.exec('COMMIT');
    } catch (error) {
      database.exec('ROLLBACK');
      throw new Error(`migration ${index + 1} failed: ${(error as Error).message}`);
    }
  }
  return database;
}
