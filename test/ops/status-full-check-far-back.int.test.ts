/**
 * The last full check is the one whose platform findings `status` shows, however many light checks
 * (`licbridge run` every few minutes, each followed by one) or failed attempts were stored since.
 * Read only within a window of the newest reports, it fell out of sight once more were stored after
 * it: its platform differences and unread targets were no longer named, and status said all well.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import {
  FULL_CHECK_LOOKBACK,
  fullCheckAttention,
  readCheckHistory,
} from '../../pipelines/observability/check-attention.js';
import { platformFindingsAttention } from '../../pipelines/observability/findings-attention.js';
import { quietLogger, sqliteBackend, type TestDatabase } from '../ledger/backends.js';

const PIPELINE = 'food-business-licenses';

describe('status: the last full check stays in sight behind many light checks', () => {
  let db: TestDatabase;
  let ledger: Ledger;

  beforeAll(async () => {
    db = await sqliteBackend.create();
    ledger = await openLedger(db.url, { logger: quietLogger });
  });
  afterAll(async () => {
    await ledger?.close();
    await db?.dispose();
  });

  it('names what the last full check found at the platforms after more light checks than the lookback', async () => {
    // Report ids sort as they were stored: the ledger orders reports stored in one instant by id.
    await ledger.saveReport({
      reportId: 'r-0000-full',
      pipeline: PIPELINE,
      mode: 'full',
      differences: 2,
      summary: { byKind: { 'status-drift': 2 } },
      report: {},
    });
    for (let i = 1; i <= FULL_CHECK_LOOKBACK + 1; i++) {
      await ledger.saveReport({
        reportId: `r-${String(i).padStart(4, '0')}-light`,
        pipeline: PIPELINE,
        mode: 'light',
        differences: 0,
        summary: { byKind: {} },
        report: {},
      });
    }

    const history = await readCheckHistory(ledger, PIPELINE);
    expect(history.lastFull?.reportId).toBe('r-0000-full');
    expect(history.latest?.reportId).toBe(`r-${String(FULL_CHECK_LOOKBACK + 1).padStart(4, '0')}-light`);
    const [note] = platformFindingsAttention(PIPELINE, history.lastFull);
    expect(note?.kind).toBe('check-platform');
    expect(note?.message).toContain('found 2 license(s) a platform holds otherwise than the ledger');

    // Completed just now: not stale, and never said to be missing.
    const stale = fullCheckAttention({
      pipeline: PIPELINE,
      schedule: '0 2 * * *',
      tz: 'Asia/Shanghai',
      history,
      lastRunStart: new Date(),
      now: new Date(),
    });
    expect(stale).toEqual([]);
  });
});
