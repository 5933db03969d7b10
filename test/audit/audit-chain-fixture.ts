/**
 * A ledger whose audit chain holds `count` entries, written straight into a fresh SQLite file (as
 * the chain's own writer would, hashes and head included) so a test can make thousands of entries
 * in milliseconds. `verifyAudit` passes on it.
 */
import Database from 'better-sqlite3';
import { jcs } from '../../catalog/canonical.js';
import { type AuditRowValues, auditHash } from '../../ledger/audit-chain.js';
import type { Ledger } from '../../ledger/ledger.js';
import { GENESIS_HASH } from '../../ledger/migrations/004-audit-reconcile.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { quietLogger, sqliteBackend, type TestDatabase } from '../ledger/backends.js';

export interface ChainLedger {
  ledger: Ledger;
  database: TestDatabase;
  close(): Promise<void>;
}

/** Appends `count` entries after the head; each batch of 10,000 in one transaction. */
export function appendChainEntries(file: string, count: number): void {
  const db = new Database(file);
  try {
    const head = db.prepare('select seq, hash from audit_head where id = 1').get() as {
      seq: number;
      hash: string;
    };
    let seq = head.seq;
    let prev = head.hash;
    const insert = db.prepare(
      `insert into audit_log (seq, at, actor, action, license_id, version, digest, detail, prev_hash, hash)
       values (@seq, @at, @actor, @action, @license_id, @version, @digest, @detail, @prev_hash, @hash)`,
    );
    const setHead = db.prepare('update audit_head set seq = ?, hash = ? where id = 1');
    const batch = db.transaction((n: number) => {
      for (let i = 0; i < n; i++) {
        seq += 1;
        const values: AuditRowValues = {
          seq,
          at: new Date(Date.UTC(2026, 0, 1) + seq * 1000).toISOString(),
          actor: 'pipeline:food-business-licenses',
          action: 'issue',
          license_id: `11370211MB${String(seq).padStart(8, '0')}`,
          version: 1,
          digest: `${String(seq).padStart(8, '0')}${'ab'.repeat(28)}`,
          // No version id: the fixture writes no license_versions rows for verify to bind it to.
          detail: jcs({ runId: 'run-1', seq }),
          prev_hash: prev,
        };
        prev = auditHash(values);
        insert.run({ ...values, hash: prev });
      }
      setHead.run(seq, prev);
    });
    for (let left = count; left > 0; left -= 10_000) batch(Math.min(left, 10_000));
  } finally {
    db.close();
  }
}

/**
 * Hashes the chain in `db` again from entry 1, head included, as its writer would have: a test
 * that altered entries (their times, an actor as an earlier release stored it) keeps a chain
 * whose entries fit their hashes, which an export signs.
 */
export function rehashChain(db: Database.Database): void {
  const rows = db.prepare('select * from audit_log order by seq').all() as AuditRowValues[];
  const rehash = db.prepare('update audit_log set prev_hash = ?, hash = ? where seq = ?');
  let prev = GENESIS_HASH;
  for (const r of rows) {
    const hash = auditHash({ ...r, prev_hash: prev });
    rehash.run(prev, hash, r.seq);
    prev = hash;
  }
  db.prepare('update audit_head set hash = ? where id = 1').run(prev);
}

/** A fresh SQLite ledger (migrated) with a chain of `count` entries. */
export async function chainLedger(count: number): Promise<ChainLedger> {
  const database = await sqliteBackend.create();
  const ledger = await openLedger(database.url, { logger: quietLogger });
  appendChainEntries(database.url.slice('sqlite://'.length), count);
  return {
    ledger,
    database,
    async close() {
      await ledger.close();
      await database.dispose();
    },
  };
}
