/**
 * Rows a SQL stream leaves for their time, their date/time cursor ahead of the source database's
 * clock (connectors/sql/keyset.ts `readBound`: a 9999-12-31 placeholder, a mistyped year): no run
 * reads them until it comes. The check after each run listed their keys as `missed` (a
 * `check-gap` in status) and its advice was a repair, whose re-read cannot read them either. They
 * are now counted apart as waiting ahead of the clock, with why, and are no difference; a row
 * really missed still is one. The full check tells them apart alike.
 *
 * The demo table in PostgreSQL (GXSJ `timestamp(6)`).
 */
import { appendFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import { reconcilePipeline } from '../../pipelines/reconcile/reconcile.js';
import { textReport } from '../../pipelines/reconcile/text-report.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { createPgLegacyWorkspace, type PgLegacyWorkspace } from '../support/pg-legacy.js';

const logger = createLogger({ level: 'silent' });
const PIPELINE = 'food-business-licenses';
const FUTURE = '9001';
const MISSED = '9002';

describe('rows waiting ahead of the source database clock', { timeout: 120_000 }, () => {
  let ws: PgLegacyWorkspace;

  beforeAll(async () => {
    ws = await createPgLegacyWorkspace({ rows: 12, pageSize: 5 });
    await appendFile(ws.configFile, 'reconcile: { afterRun: none }\n');
    const copy = (id: string, gxsj: string) =>
      ws.pg.client.query(
        `INSERT INTO "T_SPXK_XKZ" SELECT $1::integer, 'JY-NEW-' || $1::text, "JYZMC", "TYSHXYDM", "FDDBR", "FDDBRSFZ", "JYCS", "ZTYT", "JYXM", "FZRQ", "YXQZ", "FZJG", "ZT", "XZQH", ${gxsj}, NULL FROM "T_SPXK_XKZ" WHERE "ID" = $2::integer`,
        [id, ws.keys[0]],
      );
    // A new license whose time of last change is a "never" placeholder: it waits.
    await copy(FUTURE, "'2999-12-31 23:59:59'");
    const config = await loadConfig({ file: ws.configFile, env: {} });
    const [s] = await runPipelines(config, { pipelines: [PIPELINE], full: false, logger });
    expect(s?.state).toBe('done');
    // A row added after the run, which the next run reads: missed until then.
    await copy(MISSED, 'LOCALTIMESTAMP');
  }, 120_000);
  afterAll(async () => {
    await ws?.cleanup();
  });

  for (const mode of ['light', 'full'] as const) {
    it(`the ${mode} check: the waiting row is counted apart with why, the missed one is missed`, async () => {
      const config = await loadConfig({ file: ws.configFile, env: {} });
      const rt = new Runtime(config, logger);
      try {
        const ledger = await rt.ledger();
        const held = (await ledger.pipelineLicenses(PIPELINE)).map((l) => l.sourceKey);
        expect(held).not.toContain(FUTURE);
        const report = await reconcilePipeline(rt, { pipeline: PIPELINE, mode, store: false });
        expect(report.all.filter((d) => d.kind === 'missed').map((d) => d.sourceKey)).toEqual([MISSED]);
        expect(report.counts.source.aheadOfClock).toBe(1);
        const text = textReport(report, {
          lang: 'en',
          timeZone: 'Asia/Shanghai',
          policies: { deletedAtSource: 'flag', unknownAtPlatform: 'flag' },
        });
        expect(text).toContain("1 more rows wait with a cursor ahead of the source database's clock");
        expect(text).not.toContain('2999-12-31');
      } finally {
        await rt.close();
      }
    });
  }
});
