/**
 * `audit verify` names the first entry that does not fit, whichever check finds it: a batch entry
 * whose versions were changed in the ledger comes before an altered entry later in the same page.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import { versionIdsOf } from '../../ledger/audit-batch.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { quietLogger, sqliteBackend, type TestDatabase } from '../ledger/backends.js';
import { candidates, uniqueName } from '../ledger/fixtures.js';

describe('audit verify: the first bad entry in a page', () => {
  let database: TestDatabase;
  let file: string;

  beforeAll(async () => {
    database = await sqliteBackend.create();
    file = database.url.slice('sqlite://'.length);
    const ledger = await openLedger(database.url, { logger: quietLogger });
    try {
      const pipeline = uniqueName('first');
      const runId = uniqueName('run');
      await ledger.startRun({ runId, pipeline, mode: 'incremental' });
      for (const page of [0, 1, 2]) {
        await ledger.commitPage({
          pipeline,
          runId,
          checkpoint: encodeKeyPosition({ cursor: null, key: `k${page}` }),
          rowsRead: 2,
          candidates: candidates(1 + page * 2, 2, { pipeline }),
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

  it('names a changed version of an early batch before an altered entry after it', async () => {
    const ledger = await openLedger(database.url, { logger: quietLogger });
    try {
      const entries = await ledger.readAudit({ limit: 1000 });
      const batch = entries.find((e) => e.licenseId === null && versionIdsOf(e).length > 1);
      const last = entries.at(-1);
      if (!batch || !last || last.seq <= batch.seq) throw new Error('unexpected chain shape');
      const db = new Database(file);
      try {
        db.prepare('UPDATE license_versions SET content_hash = ? WHERE version_id = ?').run(
          'ff'.repeat(32),
          versionIdsOf(batch)[0],
        );
        db.prepare('UPDATE audit_log SET actor = ? WHERE seq = ?').run('pipeline:someone-else', last.seq);
      } finally {
        db.close();
      }
      const result = await ledger.verifyAudit();
      expect(result).toMatchObject({ ok: false, firstBad: { seq: batch.seq, kind: 'acts-differ' } });
      // Pages too small to hold both give the same answer.
      expect(await ledger.verifyAudit({ pageSize: 1 })).toMatchObject({
        ok: false,
        firstBad: { seq: batch.seq, kind: 'acts-differ' },
      });
    } finally {
      await ledger.close();
    }
  });
});
