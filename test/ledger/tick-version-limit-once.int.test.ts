/**
 * A license at version 999 past its validTo cannot take its `expire` version: the lifecycle tick
 * quarantines it (`LB_VERSION_LIMIT`). It wrote a new record every day's tick, each adding to the
 * tick's `quarantined` count and to `rows_quarantined_total`, as if another row had been found,
 * and audited none. Now, as a repair's (repair-quarantine.ts), the record is written once while it
 * is open, counted once, and audited once as `quarantine` (stage `expire`), on both ledgers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_VERSION } from '../../catalog/identifier.js';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { candidate, uniqueName } from './fixtures.js';
import { rawKnex } from './raw-knex.js';

describe.each(BACKENDS)(
  'the lifecycle tick meeting a license it cannot expire, day after day ($name)',
  (backend) => {
    let database: TestDatabase;
    let ledger: Ledger;

    beforeAll(async () => {
      database = await backend.create();
      ledger = await openLedger(database.url, { logger: quietLogger });
    });

    afterAll(async () => {
      await ledger?.close();
      await database?.dispose();
    });

    async function tick(pipeline: string, day: string): Promise<string> {
      const runId = uniqueName('tick');
      await ledger.beginLifecycleTick({ pipeline, day, runId });
      expect(await ledger.expireDue({ pipeline, today: day, runId, limit: 10 })).toEqual([]);
      await ledger.finishLifecycleTick({ pipeline, day, runId, expired: 0 });
      return runId;
    }

    it('keeps one open record, one audit entry, and counts it once', async () => {
      const pipeline = uniqueName('p');
      const c = candidate({ n: 1, pipeline });
      const run = uniqueName('run');
      await ledger.startRun({ runId: run, pipeline, mode: 'incremental' });
      await ledger.commitPage({
        pipeline,
        runId: run,
        checkpoint: encodeKeyPosition({ cursor: '2024-01-01 00:00:00', key: 'k' }),
        rowsRead: 1,
        candidates: [c],
        quarantined: [],
      });
      const raw = rawKnex(database.url);
      let first = '';
      try {
        await raw('license_versions').where({ license_id: c.licenseId }).update({ version: MAX_VERSION });
        await raw('licenses')
          .where({ license_id: c.licenseId })
          .update({ latest_version: MAX_VERSION, valid_to: '2024-06-01' });

        first = await tick(pipeline, '2025-01-01');
        const second = await tick(pipeline, '2025-01-02');

        const open = await raw('quarantine').select('run_id').where({ pipeline }).whereNull('resolved_at');
        expect(open.map((r: { run_id: string }) => r.run_id)).toEqual([first]);
        expect((await ledger.openQuarantine({ pipeline })).map((q) => q.sourceKey)).toEqual([c.sourceKey]);
        // A run's `quarantined` counts rows it set aside; the second day found nothing new.
        expect((await ledger.getRun(first))?.quarantined).toBe(1);
        expect((await ledger.getRun(second))?.quarantined).toBe(0);
        const counts = await raw('quarantine_reason_counts').select('code', 'row_count').where({ pipeline });
        expect(
          counts.map((r: { code: string; row_count: unknown }) => [r.code, Number(r.row_count)]),
        ).toEqual([['LB_VERSION_LIMIT', 1]]);
      } finally {
        await raw.destroy();
      }
      const entries = (await ledger.readAudit({ limit: 100_000 })).filter(
        (e) => e.action === 'quarantine' && e.detail.includes(`"pipeline":"${pipeline}"`),
      );
      expect(entries.map((e) => [e.actor, e.licenseId, e.version, JSON.parse(e.detail) as unknown])).toEqual([
        [
          `lifecycle:${pipeline}`,
          c.licenseId,
          MAX_VERSION,
          { runId: first, pipeline, code: 'LB_VERSION_LIMIT', stage: 'expire' },
        ],
      ]);
    });
  },
);
