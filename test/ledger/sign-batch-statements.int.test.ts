/**
 * What a sign batch asks the ledger besides its signatures, on both backends. A batch of a
 * profile (algorithm, distinguishing id, signer kind) the ledger has committed before sends no
 * statement to `signature_profiles`: every batch of a run inserted and read its one profile again.
 * With no quarantine record open that may hold an `LB_STORED_TEXT` reason, the batch does not join
 * its versions to their licenses and the quarantine (ledger/repair-quarantine.ts
 * closeSignedStoredText): it looks into migration 064's index of such records, which the database
 * uses for the look, and stops there.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Db } from '../../ledger/db.js';
import { getSignatures, recordSignatures } from '../../ledger/signatures.js';
import { BACKENDS } from './backends.js';
import { candidates, signature, uniqueName } from './fixtures.js';
import { ledgerPerBackend } from './ledger-per-backend.js';
import { recordingDb, type Statement } from './plan-harness.js';
import { rawKnex } from './raw-knex.js';

describe.each(BACKENDS)('a sign batch’s statements ($name)', (backend) => {
  const l = ledgerPerBackend(backend);
  const sqlite = backend.name === 'sqlite';
  const pipeline = uniqueName('sigs');
  const runId = uniqueName('run');
  const seen: Statement[] = [];
  let k: Knex;
  let db: Db;
  let ids: number[] = [];

  beforeAll(async () => {
    await l.ledger.startRun({ runId, pipeline, mode: 'incremental' });
    const { created } = await l.ledger.commitPage({
      pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor: null, key: 'k' }),
      rowsRead: 4,
      candidates: candidates(1, 4, { pipeline, runId }),
      quarantined: [],
    });
    ids = created.map((c) => c.versionId);
    k = rawKnex(l.database.url);
    db = recordingDb(k, sqlite ? 'sqlite' : 'postgres', seen);
  });
  afterAll(async () => {
    await k?.destroy();
  });

  const asked = (pattern: RegExp) => seen.filter((s) => pattern.test(s.sql)).map((s) => s.sql);

  it('asks signature_profiles nothing for a profile committed before, and stores a new one as before', async () => {
    const [a, b, c] = ids as [number, number, number];
    expect(await recordSignatures(db, [signature(a, 'seal-1')])).toBe(1);
    seen.length = 0;
    expect(await recordSignatures(db, [signature(b, 'seal-1')])).toBe(1);
    expect(asked(/signature_profiles/)).toEqual([]);
    // Another profile is inserted and read, and each signature reads back with its own.
    const other = {
      ...signature(c, 'seal-2'),
      algorithm: '1.2.156.10197.1.501',
      distId: 'ALICE123@YAHOO.COM',
    };
    expect(await recordSignatures(db, [other])).toBe(1);
    const read = await getSignatures(db, [a, b, c]);
    expect(read.map((s) => [s.versionId, s.algorithm, s.distId, s.signerKind])).toEqual([
      [a, 'SM2-SM3', '1234567812345678', 'local-sm2'],
      [b, 'SM2-SM3', '1234567812345678', 'local-sm2'],
      [c, '1.2.156.10197.1.501', 'ALICE123@YAHOO.COM', 'local-sm2'],
    ]);
  });

  it('with no stored-text record open, looks into the open records’ index and joins nothing', async () => {
    const d = ids[3] as number;
    seen.length = 0;
    expect(await recordSignatures(db, [signature(d, 'seal-1')])).toBe(1);
    expect(asked(/join\s+[`"]?quarantine\b/i)).toEqual([]);
    const looks = seen.filter((s) => /^\s*select\b.*\bfrom\s+[`"]?quarantine\b/i.test(s.sql));
    expect(looks).toHaveLength(1);
    const look = looks[0] as Statement;
    const bindings = [...look.bindings] as Knex.RawBinding[];
    const sql = look.sql.replace(/\$\d+/g, '?');
    if (sqlite) {
      const plan = (await k.raw(`explain query plan ${sql}`, bindings)) as { detail: string }[];
      expect(plan.map((r) => r.detail).join('\n')).toContain('quarantine_open_stored_text_idx');
    } else {
      // Sequential scans the last resort: a partial index whose predicate the query does not hold
      // cannot be used at all, and the plan is then a sequential scan still.
      const plan = await k.transaction(async (trx) => {
        await trx.raw('set local enable_seqscan = off');
        return (await trx.raw(`explain ${sql}`, bindings)) as { rows: { 'QUERY PLAN': string }[] };
      });
      expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toContain('quarantine_open_stored_text_idx');
    }
  });
});
