/**
 * Appending to the audit chain, inside the caller's write transaction. Every act the ledger
 * records (read, issue, update, revoke, sign, deliver, repair, dead-letter, replay) appends its
 * entries in the same transaction as the act itself: the act and its audit entry commit together
 * or not at all.
 *
 * Each entry's hash is SM3 over the JCS (RFC 8785) array
 * `[prevHash, seq, at, actor, action, licenseId, version, digest, detail]` — an array, so no
 * field can bleed into the next the way a delimiter-joined string could.
 */
import type { Knex } from 'knex';
import { jcs } from '../catalog/canonical.js';
import { sm3Hex } from '../catalog/sm3.js';
import { ErrorCodes, LicbridgeError } from '../core/errors.js';
import type { AuditAction } from './audit-types.js';
import { type Db, nowIso, rawRows, toInt } from './db.js';
import { isSqliteTransaction, runOnSqliteTransaction } from './sqlite-connection.js';

export interface AuditInput {
  action: AuditAction;
  /** Who acted: `pipeline:<name>`, `signer:<seal id>`, `target:<name>`, `operator:<account>`. */
  actor: string;
  licenseId?: string | null;
  version?: number | null;
  /** Content hash, signature digest or delivery key hash: what the act was about. */
  digest?: string | null;
  /** Ids and counts only — never names or ID numbers. */
  detail?: Record<string, string | number | boolean | null>;
}

/** The stored form of one entry, as hashed. */
export interface AuditRowValues {
  seq: number;
  at: string;
  actor: string;
  action: string;
  license_id: string | null;
  version: number | null;
  digest: string | null;
  detail: string;
  prev_hash: string;
}

/** The chain hash of one entry over its stored values. */
export function auditHash(v: AuditRowValues): string {
  return sm3Hex(
    jcs([v.prev_hash, v.seq, v.at, v.actor, v.action, v.license_id, v.version, v.digest, v.detail]),
  );
}

/**
 * Appends `entries` in order. Must run inside `Db.write`, after the transaction's first write
 * (on SQLite the transaction must take the write lock before it reads the head, see db.ts).
 * On PostgreSQL the head row is locked FOR UPDATE: a second writer waits here until the first
 * commits, so the chain never forks. Take this lock last in a transaction — every writer does —
 * so no two transactions can wait on each other.
 */
export async function appendAudit(
  db: Db,
  trx: Knex.Transaction,
  entries: readonly AuditInput[],
): Promise<void> {
  if (entries.length === 0) return;
  // SQLite: the head's read and write, and the entries' insert, go on the transaction's
  // connection as text compiled once (sqlite-connection.ts): knex built the two statements again
  // for every write transaction, several a page.
  const direct = isSqliteTransaction(trx);
  let head: { seq: unknown; hash: string } | undefined;
  if (direct) {
    [head] = await runOnSqliteTransaction<{ seq: unknown; hash: string }>(trx, SQLITE_HEAD, []);
  } else if (db.dialect === 'postgres') {
    [head] = rawRows<{ seq: unknown; hash: string }>(await trx.raw(PG_HEAD));
  } else {
    head = await trx('audit_head').select('seq', 'hash').where({ id: 1 }).first();
  }
  if (!head) throw new Error('audit: the chain head row is missing (table audit_head)');
  let seq = toInt(head.seq);
  let prev = head.hash;
  const at = nowIso();
  const rows: (AuditRowValues & { hash: string })[] = [];
  for (const e of entries) {
    seq += 1;
    const values: AuditRowValues = {
      seq,
      at,
      actor: e.actor,
      action: e.action,
      license_id: e.licenseId ?? null,
      version: e.version ?? null,
      digest: e.digest ?? null,
      detail: jcs(e.detail ?? {}),
      prev_hash: prev,
    };
    prev = auditHash(values);
    rows.push({ ...values, hash: prev });
  }
  if (db.dialect === 'postgres') {
    // The entries and the head in one statement: the head stays locked from its read to the
    // commit, and each round trip in between (a busy client's turn to read the answer included)
    // was one more the other writers of the chain waited out (bench/pipeline.ts: the head's read
    // waited up to ~1 s for the lock on a loaded host).
    await trx.raw(
      `with entries as (${entriesInsert(db)}) update audit_head set seq = ?, hash = ? where id = 1`,
      [JSON.stringify(rows), seq, prev],
    );
    return;
  }
  await insertEntries(db, trx, rows);
  if (direct)
    await runOnSqliteTransaction(trx, 'update audit_head set seq = ?, hash = ? where id = 1', [seq, prev]);
  else await trx('audit_head').where({ id: 1 }).update({ seq, hash: prev });
}

const SQLITE_HEAD = 'select seq, hash from audit_head where id = 1 limit 1';
/** Locked to the commit: a second writer waits here, so the chain never forks. */
const PG_HEAD = 'select seq, hash from audit_head where id = 1 for update';

/**
 * One statement for all of a transaction's entries: they travel as one JSON parameter, so the
 * statement is the same small text for ten entries or ten thousand (a page's worth of `issue`
 * entries as a multi-row insert was tens of thousands of bind parameters to build and parse).
 */
async function insertEntries(
  db: Db,
  trx: Knex.Transaction,
  rows: readonly (AuditRowValues & { hash: string })[],
): Promise<void> {
  const text = entriesInsert(db);
  if (isSqliteTransaction(trx)) await runOnSqliteTransaction(trx, text, [JSON.stringify(rows)]);
  else await trx.raw(text, [JSON.stringify(rows)]);
}

/** The insert of a transaction's entries, given as one JSON parameter (its only one). */
function entriesInsert(db: Pick<Db, 'dialect'>): string {
  const columns = 'seq, at, actor, action, license_id, version, digest, detail, prev_hash, hash';
  const source =
    db.dialect === 'postgres'
      ? `select ${columns} from jsonb_to_recordset(?::jsonb) as r(seq bigint, at timestamptz, actor text,
           action text, license_id text, version integer, digest text, detail text, prev_hash text, hash text)`
      : `select ${columns
          .split(', ')
          .map((c) => `json_extract(value, '$.${c}')`)
          .join(', ')} from json_each(?)`;
  return `insert into audit_log (${columns}) ${source}`;
}

/**
 * Characters an actor may not hold: C0 controls (line breaks and tabs too), DEL, C1 controls,
 * bidi embeddings, overrides, isolates and marks (Unicode TR #9) and the line and paragraph
 * separators. JSON.stringify escapes only C0, so the rest reached `audit export` files as they
 * were, where a bidi override makes a line read differently from its bytes (CVE-2021-42574).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
const NOT_IN_ACTOR = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/;

/**
 * The actor of acts an operator starts from the command line. One holding a control or bidi
 * character is refused, naming the variable it came from, before the act: refused here, never
 * cleaned, so the chain holds the account as it was set. Entries already written are not touched.
 */
export function operatorActor(): string {
  // A variable set but empty (`LICBRIDGE_ACTOR=` in a unit file, or blanks) names no account: the
  // next one is taken, or the chain would hold `operator:` for good.
  const from = (['LICBRIDGE_ACTOR', 'USER', 'USERNAME'] as const).find(
    (v) => (process.env[v] ?? '').trim() !== '',
  );
  const who = from === undefined ? 'unknown' : (process.env[from] as string);
  const bad = NOT_IN_ACTOR.exec(who);
  if (bad) {
    const code = `U+${(bad[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
    throw new LicbridgeError(
      ErrorCodes.CONFIG_INVALID,
      `audit: expected \`${from}\` (the operator recorded in the audit trail) to be an account name without control characters, line breaks or bidi controls, got ${code} at character ${bad.index + 1}: set LICBRIDGE_ACTOR to the account's name`,
    );
  }
  return `operator:${who}`;
}
