/**
 * A page mapped just before midnight and committed just after. Derived expiry maps a license valid
 * through day D as `valid` on D and `expired` from D + 1, and the daily lifecycle tick expires it
 * at D + 1's start: a page mapped on D and committed on D + 1 would bring the license back as
 * `valid` right after the tick expired it. The commit asks the day again with the write lock held
 * and, when it turned, the page is mapped again on the new day.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import { Runtime } from '../../pipelines/runtime.js';
import { extractPipeline } from '../../pipelines/stages/extract.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { overriding } from '../support/meanwhile.js';

const PIPELINE = 'food-business-licenses';

/** The end date most `valid` rows of the demo table share, as YYYY-MM-DD. */
function commonValidTo(legacyDb: string): string {
  const db = new Database(legacyDb, { readonly: true });
  try {
    const row = db
      .prepare(
        `select trim(YXQZ) as d, count(*) as n from T_SPXK_XKZ
         where trim(ZT) = '1' and trim(YXQZ) glob '20[0-9][0-9][01][0-9][0-3][0-9]'
         group by trim(YXQZ) order by n desc, d limit 1`,
      )
      .get() as { d: string };
    return `${row.d.slice(0, 4)}-${row.d.slice(4, 6)}-${row.d.slice(6, 8)}`;
  } finally {
    db.close();
  }
}

/** The statuses the ledger holds for licenses ending on `day`, with how many versions each has. */
function endingOn(ledgerFile: string, day: string): { status: string; versions: number }[] {
  const db = new Database(ledgerFile, { readonly: true });
  try {
    return db
      .prepare(
        `select l.status as status, count(v.version_id) as versions from licenses l
         join license_versions v on v.license_id = l.license_id
         where l.valid_to = ? group by l.license_id`,
      )
      .all(day) as { status: string; versions: number }[];
  } finally {
    db.close();
  }
}

describe('a page mapped before midnight and committed after it', () => {
  let ws: DemoWorkspace | undefined;
  afterEach(async () => {
    vi.useRealTimers();
    await ws?.cleanup();
    ws = undefined;
  });

  it('is mapped again on the new day: a license that ended the day before is expired, in one version', async () => {
    ws = await createDemoWorkspace({ rows: 60 });
    const day = commonValidTo(ws.legacyDb);
    const config = await loadConfig({ file: ws.configFile, env: {} });
    const runtime = new Runtime(config, createLogger({ level: 'silent' }));
    try {
      const parts = await runtime.pipeline(PIPELINE);
      const ledger = await runtime.ledger();
      const runId = randomUUID();
      await ledger.startRun({ runId, pipeline: PIPELINE, mode: 'full' });
      // Half a second before midnight in the department's zone (Asia/Shanghai, UTC+8) on `day`;
      // the first commit happens half a second after it.
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(new Date(`${day}T23:59:59.500+08:00`));
      let commits = 0;
      const commitPage = (input: Parameters<Ledger['commitPage']>[0]) => {
        commits += 1;
        if (commits === 1) vi.setSystemTime(new Date(`${day}T23:59:59.500+08:00`).getTime() + 1000);
        return ledger.commitPage(input);
      };
      const turning = overriding(ledger, { commitPage });
      const totals = await extractPipeline(parts, turning, {
        runId,
        full: true,
        onPage: async () => {},
        logger: runtime.logger,
      });
      vi.useRealTimers();
      expect(totals.read).toBe(60);
      const ended = endingOn(join(ws.dir, 'data', 'ledger.db'), day);
      expect(ended.length).toBeGreaterThan(0);
      expect(ended).toEqual(ended.map(() => ({ status: 'expired', versions: 1 })));
      // The first commit stopped without writing; the page went in on the second.
      expect(commits).toBe(2);
    } finally {
      await runtime.close();
    }
  });
});
