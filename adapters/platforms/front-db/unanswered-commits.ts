/**
 * Rows whose transaction sent its COMMIT and never heard back: the connection cut, or the database
 * silent until the send was given up (./silent-database.ts). The database may have committed. The
 * send failed, retryable, and the retry found no row of those keys where the exchange system had
 * taken them out meanwhile (moved into its own table as it picks rows up): it wrote them again,
 * and the exchange system took the license a second time. Nothing in the exchange table can tell
 * a row taken from a row never written, but PostgreSQL can tell whether a transaction committed
 * (`txid_status`, PostgreSQL 10 on, made for a client that lost its connection during COMMIT).
 * So each transaction that writes rows notes, before its commit, its keys with what it read back of
 * each row (and on PostgreSQL its id); the next send of such a key asks the database first, and a
 * key whose transaction committed is answered from that read instead of being written again.
 * MySQL, MariaDB, SQL Server, Oracle and DM cannot be asked (nor a PostgreSQL-like server without
 * `txid_status`, nor another server than the one that gave the id): such a key's fate is unknown,
 * and the next send writes no row of it where none is left (./verify-stored.ts `unknown`): its
 * delivery fails for good, for a person to ask the exchange system. Kept in memory, by target: a
 * retry in another process (a worker restarted) writes the row again, as before.
 */
import type { Knex } from 'knex';
import { driverFailureKind } from './driver-failure.js';
import type { StatementDeadline } from './insert-new-keys.js';
import type { Altered, Verified } from './verify-stored.js';

/** What a transaction read back of one key's row before its commit (./verify-stored.ts `Verified`). */
export interface KeyFound {
  altered?: Altered;
  changed?: string[];
  held?: Record<string, unknown>[];
}

interface Noted {
  /**
   * The transaction's id, as `txid_current()` gives it, and when the server that gave it started:
   * a transaction id is asked of the same server only. Another (a standby promoted, with ids of its
   * own past the old primary's) may have given the id to another transaction, committed, and the
   * row, never written, would be answered written. Absent where the database gives none to ask.
   */
  asked?: { xid: string; started: string };
  found: KeyFound;
}

/** What the database says of the noted keys of a send (`UnansweredCommits.committed`). */
export interface EarlierCommits {
  /** By key, what its transaction read back of its row: that transaction committed. */
  found: Map<string, KeyFound>;
  /**
   * Keys whose transaction's fate the database cannot tell: a row of theirs the send finds in the
   * table is the earlier send's, and where none is left it may have been taken out since.
   */
  unknown: Set<string>;
}

/** Keys noted at most: the oldest are let go past it (a key never sent again is never asked about). */
const MAX_NOTED = 10_000;

/** A server's answer, not the connection's failure: PostgreSQL's five-character SQLSTATE. */
function answeredByServer(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code);
}

/** SQLSTATEs of a server without the functions: undefined_function, feature_not_supported, insufficient_privilege. */
const NOT_ANSWERED: ReadonlySet<string> = new Set(['42883', '0A000', '42501']);

/**
 * A COMMIT the server answered with an error, the transaction rolled back: mysql2's error packet
 * (its SQLSTATE, the connection kept: a Galera cluster's deadlock for a transaction that failed
 * certification), or an error tedious was given a number for by SQL Server. Never one of a
 * connection lost or a time run out (./driver-failure.ts), whose COMMIT may have landed.
 */
function commitRefused(e: unknown): boolean {
  if (e === null || typeof e !== 'object' || driverFailureKind(e) !== undefined) return false;
  const f = e as Record<string, unknown>;
  if (typeof f.sqlState === 'string' && /^[0-9A-Z]{5}$/.test(f.sqlState) && f.fatal !== true) return true;
  return typeof f.number === 'number';
}

export class UnansweredCommits {
  private readonly noted = new Map<string, Noted>();
  /** Whether the database answers `txid_current()`, once asked: undefined until then. */
  private answers: boolean | undefined;

  /** @param asks Whether transaction ids are asked (`txid_current`, `txid_status`): PostgreSQL only. */
  constructor(private readonly asks = false) {}

  /**
   * Notes, inside `trx` after its rows were written and read back, each of `keys` with what was read
   * of its row, and on PostgreSQL the transaction's id. A database that does not answer it (another
   * PostgreSQL-like server) has the keys noted without: the first time, the statement runs in a
   * savepoint, so its failure leaves the transaction whole, and it is not asked again.
   */
  async beforeCommit(
    trx: Knex.Transaction,
    keys: readonly string[],
    verified: Verified,
    deadline: StatementDeadline,
  ): Promise<void> {
    if (keys.length === 0) return;
    const postgres = (trx.client as { dialect?: string }).dialect === 'postgresql';
    if (!this.asks || !postgres || this.answers === false) {
      this.note(keys, verified, undefined);
      return;
    }
    const ask = (q: Knex.Transaction) =>
      q
        .raw(
          'select txid_current()::text as xid, extract(epoch from pg_postmaster_start_time())::text as started',
        )
        .timeout(deadline.remainingMs(), { cancel: deadline.cancel })
        .then((answer) => (answer as { rows: { xid: string; started: string }[] }).rows);
    // A savepoint the first time only: a statement that fails ends a PostgreSQL transaction, and
    // one more round trip each transaction slowed every send.
    const rows = this.answers
      ? await ask(trx)
      : await trx.transaction(ask).then(
          (r) => {
            this.answers = true;
            return r;
          },
          (e: unknown) => {
            if (!answeredByServer(e)) throw e;
            // No such function, or not allowed: never asked again. Another refusal: this time only.
            if (NOT_ANSWERED.has(String((e as { code?: unknown }).code))) this.answers = false;
            return [];
          },
        );
    const [row] = rows;
    this.note(keys, verified, row && { xid: row.xid, started: row.started });
  }

  private note(keys: readonly string[], verified: Verified, asked: Noted['asked']): void {
    for (const key of keys) {
      const altered = verified.altered.get(key);
      const changed = verified.changed.get(key);
      const held = verified.held.get(key);
      this.noted.delete(key);
      this.noted.set(key, {
        ...(asked ? { asked } : {}),
        found: {
          ...(altered ? { altered } : {}),
          ...(changed ? { changed } : {}),
          ...(held ? { held } : {}),
        },
      });
    }
    for (const key of this.noted.keys()) {
      if (this.noted.size <= MAX_NOTED) break;
      this.noted.delete(key);
    }
  }

  /** The rows of `keys` answered: their commits were heard. */
  answered(keys: Iterable<string>): void {
    for (const key of keys) {
      this.noted.delete(key);
    }
  }

  /**
   * Runs `write` (which notes `keys` before its commit) in a transaction of `k`. A COMMIT the server
   * answered with an error rolled the transaction back: its notes are taken back, each key's note
   * as it was before. Kept, the next send of a key took its commit for one that may have landed,
   * and a row never written was dead-lettered instead of written.
   */
  async inTransaction<T>(
    k: Knex,
    keys: readonly string[],
    write: (trx: Knex.Transaction) => Promise<T>,
  ): Promise<T> {
    const prior = new Map(keys.map((key) => [key, this.noted.get(key)]));
    let reachedCommit = false;
    try {
      return await k.transaction(async (trx) => {
        const done = await write(trx);
        reachedCommit = true;
        return done;
      });
    } catch (e) {
      if (reachedCommit && commitRefused(e)) {
        for (const [key, earlier] of prior) {
          if (earlier) this.noted.set(key, earlier);
          else this.noted.delete(key);
        }
      }
      throw e;
    }
  }

  /**
   * By key, what was read back of each of `keys` whose noted transaction the database says
   * committed, and the keys whose transaction's fate it cannot tell (no id to ask, another server,
   * an id too old, a PostgreSQL before 10): written as any other, they were written a second time
   * where the exchange system had taken the first row out, so the write writes no row of theirs
   * where none is left (./verify-stored.ts `unknown`). A key whose transaction was rolled back is let
   * go and written as any other; one still in progress is kept, and the write waits for it on the
   * key. A connection that fails is thrown, the keys kept for the next send.
   */
  async committed(k: Knex, keys: readonly string[], deadline: StatementDeadline): Promise<EarlierCommits> {
    const found = new Map<string, KeyFound>();
    const unknown = new Set<string>();
    const asked: { key: string; xid: string; started: string; found: KeyFound }[] = [];
    for (const key of keys) {
      const n = this.noted.get(key);
      if (n?.asked) asked.push({ key, ...n.asked, found: n.found });
      else if (n) unknown.add(key);
    }
    if (asked.length === 0) return { found, unknown };
    const xids = [...new Set(asked.map((a) => a.xid))];
    let status: Map<string, string | null>;
    let started: string | undefined;
    try {
      const answer = (await k
        .raw(
          `select x as xid, txid_status(x::bigint) as status, extract(epoch from pg_postmaster_start_time())::text as started
           from unnest(?::text[]) as ids(x)`,
          [xids],
        )
        .timeout(deadline.remainingMs(), { cancel: deadline.cancel })) as {
        rows: { xid: string; status: string | null; started: string }[];
      };
      status = new Map(answer.rows.map((r) => [r.xid, r.status]));
      started = answer.rows[0]?.started;
    } catch (e) {
      if (!answeredByServer(e)) throw e;
      for (const a of asked) unknown.add(a.key);
      return { found, unknown };
    }
    for (const a of asked) {
      const s = a.started === started ? status.get(a.xid) : null;
      if (s === 'in progress') continue;
      if (s === 'committed') found.set(a.key, a.found);
      else if (s !== 'aborted') unknown.add(a.key);
      // Kept for an unknown one: a send that fails again before answering it still cannot tell.
      if (s === 'committed' || s === 'aborted') this.noted.delete(a.key);
    }
    return { found, unknown };
  }
}
