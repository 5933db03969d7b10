/**
 * The nonces a simulated platform has seen, each kept until the token that carried it goes stale:
 * replay protection needs no longer, and must not forget sooner. A token is accepted for 5 minutes
 * either side of the platform's clock, and a simulator restarts in well under that (tests and demos
 * kill and restart one mid-run), so the nonces live with the rest of its state — in its SQLite
 * state file when it has one. Kept in memory only, a request replayed after a restart passed as
 * new: the platforms these simulators stand in for keep their nonces in shared storage, and refuse it.
 */
import type Database from 'better-sqlite3';

export interface NonceStore {
  /**
   * Takes `nonce` for a token valid until `expiresAt` (unix ms): true when it is new, false when it
   * was taken before and has not expired by `now`. Nonces expired by `now` are forgotten.
   */
  claim(nonce: string, expiresAt: number, now: number): boolean;
}

/** For a simulator without a state file: nothing outlives it anyway. */
export class MemoryNonces implements NonceStore {
  private readonly seen = new Map<string, number>();

  claim(nonce: string, expiresAt: number, now: number): boolean {
    for (const [n, until] of this.seen) if (until < now) this.seen.delete(n);
    if (this.seen.has(nonce)) return false;
    this.seen.set(nonce, expiresAt);
    return true;
  }
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS nonces (nonce TEXT PRIMARY KEY, expires_at INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS nonces_expiry ON nonces (expires_at);
`;

/**
 * Nonces in a simulator's state database. A claim is written when the request is authenticated,
 * before and outside its batch: it holds for a request that changes nothing else, and for one whose
 * batch then fails (the token was spent all the same).
 */
export class SqliteNonces implements NonceStore {
  private readonly forget: Database.Statement;
  private readonly take: Database.Statement;

  constructor(db: Database.Database) {
    db.exec(SCHEMA);
    this.forget = db.prepare('DELETE FROM nonces WHERE expires_at < ?');
    this.take = db.prepare('INSERT INTO nonces (nonce, expires_at) VALUES (?, ?) ON CONFLICT DO NOTHING');
  }

  claim(nonce: string, expiresAt: number, now: number): boolean {
    this.forget.run(now);
    return this.take.run(nonce, expiresAt).changes === 1;
  }
}
