/**
 * `objection list` past one page of the ledger: the ledger answers a thousand objections at a
 * time, in id order, and a list cut there showed the oldest thousand only — an objection opened
 * since, overdue or not, was never listed. Every objection the query matches is listed, on both
 * backends.
 */

import { describe, expect, it } from 'vitest';
import type { Config } from '../../config/types.js';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { listObjections, OBJECTION_PAGE } from '../../pipelines/lifecycle/objections.js';
import { BACKENDS, quietLogger } from '../ledger/backends.js';
import { candidate, uniqueName } from '../ledger/fixtures.js';
import { rawKnex } from '../ledger/raw-knex.js';

const config = { deadlines: { backlogWorkingDays: 3, objectionWorkingDays: 5 } } as unknown as Config;

describe.each(BACKENDS)('objection list past one page ($name)', (backend) => {
  it('lists every objection, the late ones and the newest included', async () => {
    const database = await backend.create();
    const ledger = await openLedger(database.url, { logger: quietLogger });
    try {
      const pipeline = uniqueName('p');
      const runId = uniqueName('run');
      const c = candidate({ n: 1, pipeline, runId });
      await ledger.startRun({ runId, pipeline, mode: 'incremental' });
      await ledger.commitPage({
        pipeline,
        runId,
        checkpoint: encodeKeyPosition({ cursor: null, key: '1' }),
        rowsRead: 1,
        candidates: [c],
        quarantined: [],
      });
      // A page of objections opened on Mon 2 March 2026 (10:00 Beijing), still open: written as the
      // ledger writes them, without a thousand audit entries.
      const raw = rawKnex(database.url);
      try {
        const rows = Array.from({ length: OBJECTION_PAGE }, () => ({
          license_id: c.licenseId,
          pipeline,
          version_at_open: 1,
          unit: 'u',
          reason: 'r',
          opened_by: 'operator:test',
          opened_at: '2026-03-02T02:00:00.000Z',
          state: 'open',
        }));
        for (let i = 0; i < rows.length; i += 100) await raw('objections').insert(rows.slice(i, i + 100));
        // One more, opened the day after: the thousand-and-first.
        await raw('objections').insert({ ...rows[0], opened_at: '2026-03-03T02:00:00.000Z' });
      } finally {
        await raw.destroy();
      }
      const all = await listObjections(config, ledger, { today: '2026-03-20' });
      const newest = all.find((o) => o.openedAt.toISOString() === '2026-03-03T02:00:00.000Z');
      expect(all).toHaveLength(OBJECTION_PAGE + 1);
      expect(newest?.objectionId).toBe(all.at(-1)?.objectionId);
      expect(new Set(all.map((o) => o.objectionId)).size).toBe(OBJECTION_PAGE + 1);

      // Due Mon 9 and Tue 10 March: on Fri 20 March every one is late, the newest too.
      const today = '2026-03-20';
      const late = await listObjections(config, ledger, { overdue: true, today });
      expect(late).toHaveLength(OBJECTION_PAGE + 1);
      expect(late.at(-1)?.objectionId).toBe(newest?.objectionId);
      expect(late.every((o) => o.overdueBy > 0)).toBe(true);
      const open = await listObjections(config, ledger, { state: 'open', today });
      expect(open).toHaveLength(OBJECTION_PAGE + 1);
    } finally {
      await ledger.close();
      await database.dispose();
    }
  });
});
