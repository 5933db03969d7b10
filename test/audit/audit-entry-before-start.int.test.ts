/**
 * The chain starts at entry 1 (its `prev_hash` 64 zeros). A row inserted in `audit_log` with a
 * `seq` of 0 or below, by someone with write access to the database, lay before the walk's first
 * read and below the head, where no check looked: verify called the chain intact with it there.
 * It is named now, as an entry no licbridge writer writes. Both ledgers.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from '../ledger/backends.js';
import { candidates, uniqueName } from '../ledger/fixtures.js';
import { rawKnex } from '../ledger/raw-knex.js';

describe.each(BACKENDS)('an entry put before entry 1 ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;
  let raw: Knex;
  let first: Record<string, unknown>;

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
    const pipeline = uniqueName('before-start');
    const runId = uniqueName('run');
    await ledger.startRun({ runId, pipeline, mode: 'incremental' });
    for (const from of [1, 4]) {
      await ledger.commitPage({
        pipeline,
        runId,
        checkpoint: encodeKeyPosition({ cursor: null, key: String(from) }),
        rowsRead: 3,
        candidates: candidates(from, 3, { pipeline }),
        quarantined: [],
      });
    }
    raw = rawKnex(database.url);
    first = (await raw('audit_log').where({ seq: 1 }).first()) as Record<string, unknown>;
  });
  afterAll(async () => {
    await raw?.destroy();
    await ledger?.close();
    await database?.dispose();
  });

  it('the chain as written verifies', async () => {
    expect(await ledger.verifyAudit()).toMatchObject({ ok: true, entries: 4, headSeq: 4 });
  });

  it.each([0, -7])('an entry at seq %i fails verify, named by its seq', async (seq) => {
    await raw('audit_log').insert({ ...first, seq });
    try {
      const result = await ledger.verifyAudit();
      expect(result).toMatchObject({
        ok: false,
        firstBad: {
          seq,
          kind: 'chain-broken',
          message: `entry ${seq} lies before entry 1, where the chain starts: written outside licbridge`,
        },
      });
    } finally {
      await raw('audit_log').where({ seq }).delete();
    }
    expect((await ledger.verifyAudit()).ok).toBe(true);
  });
});
