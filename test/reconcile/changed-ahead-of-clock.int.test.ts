/**
 * A licensed row changed and its time of change set ahead of the source database's clock (a
 * 9999-12-31 placeholder written with the edit, a mistyped year): no run reads the change until
 * its time comes (connectors/sql/keyset.ts `readBound`), nor would a repair's re-read. The full
 * check reported it `content-mismatch`, its advice a re-read that changes nothing, on every check.
 * It is now counted apart (`counts.source.changedAheadOfClock`) with why, as the rows without a
 * license waiting so are (`aheadOfClock`); a row changed within the clock is still a difference.
 *
 * The demo table in PostgreSQL (GXSJ `timestamp(6)`).
 */
import { appendFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import { htmlReport } from '../../pipelines/reconcile/html-report.js';
import { reconcilePipeline } from '../../pipelines/reconcile/reconcile.js';
import { planRepairs } from '../../pipelines/reconcile/repair.js';
import { textReport } from '../../pipelines/reconcile/text-report.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { createPgLegacyWorkspace, type PgLegacyWorkspace } from '../support/pg-legacy.js';

const logger = createLogger({ level: 'silent' });
const PIPELINE = 'food-business-licenses';

describe('a licensed row changed with its cursor ahead of the clock', { timeout: 120_000 }, () => {
  let ws: PgLegacyWorkspace;
  let [ahead, changed] = ['', ''];

  beforeAll(async () => {
    ws = await createPgLegacyWorkspace({ rows: 12, pageSize: 5 });
    await appendFile(ws.configFile, 'reconcile: { afterRun: none }\n');
    const config = await loadConfig({ file: ws.configFile, env: {} });
    const [s] = await runPipelines(config, { pipelines: [PIPELINE], full: false, logger });
    expect(s?.state).toBe('done');
    [ahead, changed] = [ws.keys[0] as string, ws.keys[1] as string];
    const edit = (id: string, gxsj: string) =>
      ws.pg.client.query(
        `UPDATE "T_SPXK_XKZ" SET "JYZMC" = "JYZMC" || '（变更）', "GXSJ" = ${gxsj} WHERE "ID" = $1::integer`,
        [id],
      );
    await edit(ahead, "'2999-12-31 23:59:59'");
    // Changed after the run, as the next run reads it: a difference until then.
    await edit(changed, 'LOCALTIMESTAMP');
  }, 120_000);
  afterAll(async () => {
    await ws?.cleanup();
  });

  it('the full check counts it apart with why; the row changed within the clock is a difference', async () => {
    const config = await loadConfig({ file: ws.configFile, env: {} });
    const rt = new Runtime(config, logger);
    try {
      const report = await reconcilePipeline(rt, { pipeline: PIPELINE, mode: 'full', store: false });
      expect(report.all.map((d) => [d.kind, d.sourceKey])).toEqual([['content-mismatch', changed]]);
      expect(report.counts.source.changedAheadOfClock).toBe(1);
      expect(report.counts.source.aheadOfClock).toBeUndefined();
      expect(planRepairs(rt, report).byAction['re-read']).toBe(1);
      const policies = { deletedAtSource: 'flag', unknownAtPlatform: 'flag' } as const;
      const text = textReport(report, { lang: 'en', timeZone: 'Asia/Shanghai', policies });
      expect(text).toContain(
        "1 more licenses' rows changed with a cursor ahead of the source database's clock",
      );
      expect(text).not.toContain('2999-12-31');
      const zh = textReport(report, { lang: 'zh', timeZone: 'Asia/Shanghai', policies });
      expect(zh).toContain('另有 1 张证照的业务记录已变更');
      const html = htmlReport(report, { lang: 'en', timeZone: 'Asia/Shanghai', policies });
      expect(html).toContain('1 more licenses&#39; rows changed with a cursor ahead');
    } finally {
      await rt.close();
    }
  });
});
