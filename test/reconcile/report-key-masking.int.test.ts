/**
 * A report names each differing license by its record key, and reports are shared with people who
 * may not see personal data. A key that is an ID or mobile number (a business system keyed by the
 * holder's number) is masked where the report shows it — on the terminal, in HTML, JSON and the
 * ledger's stored report — as the holder's own ID number beside it is; the unmasked key stays in
 * `all`, which plans repairs and is never shown or stored.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { htmlReport } from '../../pipelines/reconcile/html-report.js';
import { reconcilePipeline } from '../../pipelines/reconcile/reconcile.js';
import { reconcileSettings, reportOptions } from '../../pipelines/reconcile/settings.js';
import { textReport } from '../../pipelines/reconcile/text-report.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const logger = createLogger({ level: 'silent' });
const PIPELINE = 'food-business-licenses';
const TABLE = 'T_SPXK_XKZ';
/** A mainland mobile number used as a record's key. */
const PHONE_KEY = '13812345678';

describe('reconcile reports: record keys that are personal numbers', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 20, seed: 5 });
    config = await loadConfig({ file: ws.configFile, env: {} });
    const [s] = await runPipelines(config, { pipelines: [PIPELINE], full: false, logger });
    expect(s?.state).toBe('done');
    // Committed behind the checkpoint (an old cursor value): a run never reads it, the check finds it missed.
    const db = new Database(ws.legacyDb);
    const from = db.prepare(`SELECT min(ID) FROM ${TABLE}`).pluck().get() as number;
    db.prepare(
      `INSERT INTO ${TABLE} SELECT ?, XKZBH, JYZMC, TYSHXYDM, FDDBR, FDDBRSFZ, JYCS, ZTYT, JYXM, FZRQ, YXQZ, FZJG, ZT, XZQH, '1990-01-01 00:00:00', YZSBH FROM ${TABLE} WHERE ID = ?`,
    ).run(Number(PHONE_KEY), from);
    db.close();
  }, 60_000);
  afterAll(async () => {
    await ws?.cleanup();
  });

  it('masks the key in every shown and stored form, and keeps it for the repair plan', async () => {
    const rt = new Runtime(config, logger);
    try {
      const report = await reconcilePipeline(rt, { pipeline: PIPELINE, targets: [] });
      expect(report.all.filter((d) => d.kind === 'missed').map((d) => d.sourceKey)).toEqual([PHONE_KEY]);
      const shown = report.sample.find((d) => d.kind === 'missed');
      expect(shown?.sourceKey).toBe('*******5678');

      const options = reportOptions(reconcileSettings({ config }));
      expect(textReport(report, options)).not.toContain(PHONE_KEY);
      expect(htmlReport(report, options)).not.toContain(PHONE_KEY);
      const { all: _all, ...json } = report;
      expect(JSON.stringify(json)).not.toContain(PHONE_KEY);
      const [stored] = await (await rt.ledger()).getReports({ reportId: report.reportId });
      expect(JSON.stringify(stored)).not.toContain(PHONE_KEY);
      expect(JSON.stringify(stored)).toContain('*******5678');
    } finally {
      await rt.close();
    }
  });
});
