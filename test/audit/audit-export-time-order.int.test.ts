/**
 * A date range of the chain whose entries are not in time order: a host whose clock runs ahead
 * wrote an entry timed after the range, between entries inside it. The export of either range
 * still signs: the entries between lie outside it, and are read by seq to check that the range's
 * entries still follow each other through them. A deleted one among them is still refused.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import { LocalSm2Signer } from '../../adapters/signers/local-sm2/local-sm2-signer.js';
import { type AuditRowValues, auditHash } from '../../ledger/audit-chain.js';
import type { AuditQuery } from '../../ledger/audit-types.js';
import { GENESIS_HASH } from '../../ledger/migrations/004-audit-reconcile.js';
import { writeAuditExport } from '../../pipelines/audit.js';
import { makeTempDir } from '../signers/helpers.js';
import { type ChainLedger, chainLedger } from './audit-chain-fixture.js';

const pair = generateSm2KeyPair();
const second = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 1000);

describe('audit export of a date range not in time order', () => {
  let chain: ChainLedger;
  let tmp: ReturnType<typeof makeTempDir>;
  let signer: LocalSm2Signer;

  const sql = (run: (db: Database.Database) => void) => {
    const db = new Database(chain.database.url.slice('sqlite://'.length));
    try {
      run(db);
    } finally {
      db.close();
    }
  };

  beforeEach(async () => {
    tmp = makeTempDir();
    chain = await chainLedger(40);
    // Entry 15 written by a host 10 s ahead (entry n is at second n): the chain hashed as written.
    sql((db) => {
      db.prepare('update audit_log set at = ? where seq = 15').run(second(25).toISOString());
      const rows = db.prepare('select * from audit_log order by seq').all() as (AuditRowValues & {
        hash: string;
      })[];
      const rehash = db.prepare('update audit_log set prev_hash = ?, hash = ? where seq = ?');
      let prev = GENESIS_HASH;
      for (const r of rows) {
        const hash = auditHash({ ...r, prev_hash: prev });
        rehash.run(prev, hash, r.seq);
        prev = hash;
      }
      db.prepare('update audit_head set hash = ? where id = 1').run(prev);
    });
    signer = new LocalSm2Signer('district-seal', {
      kind: 'local-sm2',
      key: pair.privateKeyPem,
      sealId: '37021100000001',
      distId: '1234567812345678',
      workers: 0,
    });
    await signer.open();
  });
  afterEach(async () => {
    await signer?.close();
    await chain?.close();
    tmp?.cleanup();
  });

  const exportTo = (name: string, query: AuditQuery) =>
    writeAuditExport(chain.ledger, signer, query, { out: join(tmp.dir, name), pageSize: 7 });

  it('the chain verifies, and both ranges export', async () => {
    expect((await chain.ledger.verifyAudit()).ok).toBe(true);
    // Seconds 5 to 19 without entry 15; seconds 20 to 29 with it, read first (seq order).
    expect((await exportTo('a.jsonl', { from: second(5), to: second(20) })).entries).toBe(14);
    expect((await exportTo('b.jsonl', { from: second(20), to: second(30) })).entries).toBe(11);
  });

  it('an entry deleted or altered between is still refused', async () => {
    sql((db) => db.prepare('delete from audit_log where seq = 17').run());
    await expect(exportTo('b.jsonl', { from: second(20), to: second(30) })).rejects.toThrow(
      'entry 17 is missing',
    );
    sql((db) => db.prepare('update audit_log set detail = ? where seq = 15').run('{"forged":true}'));
    await expect(exportTo('a.jsonl', { from: second(5), to: second(20) })).rejects.toThrow(
      'entry 15 was altered',
    );
  });
});
