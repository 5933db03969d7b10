import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { quietLogger, sqliteBackend, type TestDatabase } from '../ledger/backends.js';
import { candidates, uniqueName } from '../ledger/fixtures.js';
import { verifyTamperedCopy } from './tampered-copy.js';

interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  license_id: string | null;
  version: number | null;
  digest: string | null;
  detail: string;
  prev_hash: string;
  hash: string;
}

/**
 * The entry hash as docs/audit.md states it, computed here without licbridge's code: SM3 (node's
 * OpenSSL) over the RFC 8785 text of `[prev_hash, seq, at, actor, action, license_id, version,
 * digest, detail]`. For an array of strings, integers and nulls, JSON.stringify writes exactly
 * the RFC 8785 text, so no canonicaliser is needed.
 */
function outsideHash(r: AuditRow): string {
  const text = JSON.stringify([
    r.prev_hash,
    r.seq,
    r.at,
    r.actor,
    r.action,
    r.license_id,
    r.version,
    r.digest,
    r.detail,
  ]);
  return createHash('sm3').update(text, 'utf8').digest('hex');
}

/**
 * Someone with write access to the ledger database rewrites one entry, recomputes its hash, and
 * re-links the next entry to it. Only a hash that covers `prev_hash` shows this: the next entry's
 * own values then no longer match its stored hash.
 */
describe('audit chain against a link-repairing tamper (SQLite file edited directly)', () => {
  let database: TestDatabase;
  let file: string;

  beforeAll(async () => {
    database = await sqliteBackend.create();
    file = database.url.slice('sqlite://'.length);
    const ledger: Ledger = await openLedger(database.url, { logger: quietLogger });
    try {
      const pipeline = uniqueName('audit');
      const runId = uniqueName('run');
      await ledger.startRun({ runId, pipeline, mode: 'incremental' });
      // Three pages: a read and a batch of new versions each, then one page of a single version
      // (an entry of one act, with its license and version in their columns).
      for (const [page, from, count] of [
        [1, 1, 2],
        [2, 3, 2],
        [3, 5, 2],
        [4, 7, 1],
      ] as const) {
        await ledger.commitPage({
          pipeline,
          runId,
          checkpoint: encodeKeyPosition({ cursor: '2024-01-01', key: `k${page}` }),
          rowsRead: count,
          candidates: candidates(from, count, { pipeline }),
          quarantined: [],
        });
      }
    } finally {
      await ledger.close();
    }
  });

  afterAll(async () => {
    await database?.dispose();
  });

  const verifyCopy = (tamper?: (db: Database.Database) => void) => verifyTamperedCopy(file, 3, tamper);

  it('stores the hash the documented formula gives, each entry linked to the one before', () => {
    const db = new Database(file, { readonly: true });
    const rows = db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as AuditRow[];
    db.close();
    expect(rows.length).toBe(8);
    expect(rows.filter((r) => r.license_id !== null)).toHaveLength(1);
    for (const [i, r] of rows.entries()) {
      expect(r.hash).toBe(outsideHash(r));
      if (i > 0) expect(r.prev_hash).toBe(rows[i - 1]?.hash);
    }
  });

  it('verifies the untouched chain', async () => {
    expect(await verifyCopy()).toMatchObject({ ok: true });
  });

  it.each([2, 4])(
    'fails when entry %i is rewritten with a fresh hash and the next entry re-linked',
    async (n) => {
      const r = await verifyCopy((db) => {
        const row = db.prepare('SELECT * FROM audit_log WHERE seq = ?').get(n) as AuditRow;
        const rewritten = { ...row, actor: 'pipeline:someone-else' };
        const hash = outsideHash(rewritten);
        db.prepare('UPDATE audit_log SET actor = ?, hash = ? WHERE seq = ?').run(rewritten.actor, hash, n);
        db.prepare('UPDATE audit_log SET prev_hash = ? WHERE seq = ?').run(hash, n + 1);
      });
      expect(r).toMatchObject({ ok: false, firstBad: { seq: n + 1, kind: 'altered' } });
    },
  );
});
