/**
 * Rows whose transaction sent its COMMIT and never heard back: the connection cut, or the database
 * silent until the send was given up (./silent-database.ts). The database may have committed. The
 * send failed, retryable, and the retry found no row of those keys where the exchange system had
 * taken them out meanwhile (moved into its own table as it picks rows up): it wrote them again,
 * and the exchange system took the license a second time. Nothing in the exchange table can tell
 * a row taken from a row never written, but PostgreSQL can tell whether a transaction committed
 * (`txid_status`, PostgreSQL 10 on, made for a client that lost its connection during COMMIT).
 * So each transaction that writes rows notes its id before its commit, with what it read back of
 * each row; the next send of such a key asks the database first, and a key whose transaction
 * committed is answered from that read instead of being written again. Kept in memory, by target:
 * a retry in another process (a worker restarted) writes the row again, as before.
 */
import type { Knex } from 'knex';
import type { StatementDeadline } from './insert-new-keys.js';
import type { Altered, Verified } from './verify-stored.js';

/** What a transaction read back of one key's row before its commit (./verify-stored.ts `Verified`). */
export interface KeyFound {
  altered?: Altered;
  changed?: string[];
  held?: Record<string, unknown>;
}

interface Noted {
  /** The transaction's id, as `txid_current()` gives it. */
  xid: string;
  /**
   * When the server that gave the id started: a transaction id is asked of the same server only.
   * Another (a standby promoted, with ids of its own past the old primary's) may have given the
   * id to another transaction, committed, and the row, never written, would be answered written.
   */
  started: string;
  found: KeyFound;
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

export class UnansweredCommits {
  private readonly noted = new Map<string, Noted>();
  /** Whether the database answers `txid_current()`, once asked: undefined until then. */
  private answers: boolean | undefined;

  /**
   * Notes, inside `trx` after its rows were written and read back, its id for each of `keys`. A
   * database that does not answer it (another PostgreSQL-like server) leaves the send as it was:
   * the first time, the statement runs in a savepoint, so its failure leaves the transaction whole,
   * and it is not asked again.
   */
  async beforeCommit(
    trx: Knex.Transaction,
    keys: readonly string[],
    verified: Verified,
    deadline: StatementDeadline,
  ): Promise<void> {
    if ((trx.client as { dialect?: string }).dialect !== 'postgresql' || keys.length === 0) return;
    if (this.answers === false) return;
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
    if (row === undefined) return;
    for (const key of keys) {
      const altered = verified.altered.get(key);
      const changed = verified.changed.get(key);
      const held = verified.held.get(key);
      this.noted.delete(key);
      this.noted.set(key, {
        xid: row.xid,
        started: row.started,
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
    for (const key of keys) this.noted.delete(key);
  }

  /**
   * By key, what was read back of each of `keys` whose noted transaction the database says
   * committed. A key whose transaction was rolled back, or whose fate the database cannot tell
   * (another server, an id too old, a PostgreSQL before 10), is let go and written as any other;
   * one still in progress is kept, and the write waits for it on the key. A connection that fails
   * is thrown, the keys kept for the next send.
   */
  async committed(
    k: Knex,
    keys: readonly string[],
    deadline: StatementDeadline,
  ): Promise<Map<string, KeyFound>> {
    const asked = keys.flatMap((key) => {
      const n = this.noted.get(key);
      return n ? [{ key, ...n }] : [];
    });
    const found = new Map<string, KeyFound>();
    if (asked.length === 0) return found;
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
      this.answered(asked.map((a) => a.key));
      return found;
    }
    for (const a of asked) {
      const s = a.started === started ? status.get(a.xid) : null;
      if (s === 'in progress') continue;
      this.noted.delete(a.key);
      if (s === 'committed') found.set(a.key, a.found);
    }
    return found;
  }
}
