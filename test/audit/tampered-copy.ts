/** Tampering with a ledger the way someone with database access could, on a private copy. */
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { type AuditRowValues, auditHash } from '../../ledger/audit-chain.js';
import type { AuditVerification } from '../../ledger/audit-types.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { quietLogger } from '../ledger/backends.js';

/**
 * `verifyAudit` (in pages of `pageSize`) over a copy of the SQLite ledger `ledgerFile`, made
 * beside it, with `tamper` applied to the copy first; the ledger itself stays as it was.
 */
export async function verifyTamperedCopy(
  ledgerFile: string,
  pageSize: number,
  tamper?: (db: Database.Database) => void,
): Promise<AuditVerification> {
  const copy = join(dirname(ledgerFile), `copy-${randomUUID()}.db`);
  const src = new Database(ledgerFile);
  src.exec(`VACUUM INTO '${copy}'`);
  src.close();
  if (tamper) {
    const db = new Database(copy);
    tamper(db);
    db.close();
  }
  const ledger = await openLedger(`sqlite://${copy}`, { logger: quietLogger });
  try {
    return await ledger.verifyAudit({ pageSize });
  } finally {
    await ledger.close();
  }
}

/** Runs `work` on the SQLite file `file`, closed after. */
function onFile<T>(file: string, work: (db: Database.Database) => T): T {
  const db = new Database(file);
  try {
    return work(db);
  } finally {
    db.close();
  }
}

/**
 * Appends to the chain of the SQLite ledger `file` one batch entry (no license of its own) of
 * `action` with `detail` as stored text, its hash and the head made to fit: an entry rewritten by
 * someone who knows how the chain is hashed.
 */
export function appendBatchEntry(file: string, detail: string, action = 'issue'): void {
  onFile(file, (db) => {
    const head = db.prepare('select seq, hash from audit_head where id = 1').get() as {
      seq: number;
      hash: string;
    };
    const values: AuditRowValues = {
      seq: head.seq + 1,
      at: new Date().toISOString(),
      actor: 'pipeline:p',
      action,
      license_id: null,
      version: null,
      digest: 'ab'.repeat(32),
      detail,
      prev_hash: head.hash,
    };
    const hash = auditHash(values);
    db.prepare(
      `insert into audit_log (seq, at, actor, action, license_id, version, digest, detail, prev_hash, hash)
       values (@seq, @at, @actor, @action, @license_id, @version, @digest, @detail, @prev_hash, @hash)`,
    ).run({ ...values, hash });
    db.prepare('update audit_head set seq = ?, hash = ? where id = 1').run(values.seq, hash);
  });
}

/** Drops the last entry of the chain of the SQLite ledger `file`, the head set back to fit. */
export function dropLastEntry(file: string): void {
  onFile(file, (db) => {
    const last = db.prepare('select seq, prev_hash from audit_log order by seq desc limit 1').get() as {
      seq: number;
      prev_hash: string;
    };
    db.prepare('delete from audit_log where seq = ?').run(last.seq);
    db.prepare('update audit_head set seq = ?, hash = ? where id = 1').run(last.seq - 1, last.prev_hash);
  });
}
