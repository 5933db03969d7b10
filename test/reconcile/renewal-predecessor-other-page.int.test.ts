/**
 * A new renewal (its row names, in YZSBH, the number of a license that is itself new: neither is
 * in the ledger) whose predecessor's row the check read in an earlier page or batch, or reads
 * after it. A run commits each page before it reads the next, so the renewal finds its
 * predecessor's license in the ledger; the check looked in the ledger and the current page only,
 * and counted the renewal as a row that does not map instead of a row the ledger lacks (`missed`).
 * A renewal naming a number no row gives stays a row that does not map.
 */
import { readFile, writeFile } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveSerial, licenseIdOf } from '../../catalog/identifier.js';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { keyBucket } from '../../core/reconcile-digest.js';
import { ledgerAreas } from '../../pipelines/reconcile/area-counts.js';
import { checkByBuckets } from '../../pipelines/reconcile/bucket-side.js';
import { reconcilePipeline } from '../../pipelines/reconcile/reconcile.js';
import { reconcileSettings } from '../../pipelines/reconcile/settings.js';
import { foldSource } from '../../pipelines/reconcile/source-side.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const logger = createLogger({ level: 'silent' });
const PIPELINE = 'food-business-licenses';

describe('a new renewal of a new license read in another page', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 12, seed: 5 });
    const yaml = (await readFile(ws.configFile, 'utf8')).replace('pageSize: 100', 'pageSize: 1');
    expect(yaml).toContain('pageSize: 1\n');
    await writeFile(ws.configFile, `${yaml}reconcile: { afterRun: none }\n`);
    config = await loadConfig({ file: ws.configFile, env: {} });
    const [s] = await runPipelines(config, { pipelines: [PIPELINE], full: false, logger });
    expect(s?.state).toBe('done');
    const legacy = new Database(ws.legacyDb);
    const id = legacy
      .prepare("SELECT ID FROM T_SPXK_XKZ WHERE ZT = '1' AND YZSBH IS NULL ORDER BY ID LIMIT 1")
      .pluck()
      .get() as number;
    legacy.exec(`CREATE TEMP TABLE r AS SELECT * FROM T_SPXK_XKZ WHERE ID = ${id}`);
    const add = legacy.prepare(
      'INSERT INTO T_SPXK_XKZ SELECT ?, ?, JYZMC, TYSHXYDM, FDDBR, FDDBRSFZ, JYCS, ZTYT, JYXM, FZRQ, YXQZ, FZJG, ZT, XZQH, GXSJ, ? FROM r',
    );
    // 9001 new, 9002 renews it (read in the page after it); 9003 renews 9004 (read before it);
    // 9005 renews a number no row or license holds.
    add.run(9001, 'JY-NEW-9001', null);
    add.run(9002, 'JY-NEW-9002', 'JY-NEW-9001');
    add.run(9003, 'JY-NEW-9003', 'JY-NEW-9004');
    add.run(9004, 'JY-NEW-9004', null);
    add.run(9005, 'JY-NEW-9005', 'JY-NOBODY-0000');
    legacy.close();
  }, 120_000);
  afterAll(async () => ws?.cleanup());

  it('the full check by buckets, a bucket a batch: both renewals missed, the unknown one does not map', {
    timeout: 60_000,
  }, async () => {
    const rt = new Runtime(config, logger);
    try {
      const [parts, ledger] = await Promise.all([rt.pipeline(PIPELINE), rt.ledger()]);
      const settings = reconcileSettings(rt);
      const licenseIdFor = (key: string) =>
        licenseIdOf({
          typeCode: parts.config.licenseType,
          issuerCode: parts.config.issuer.code,
          serial: deriveSerial(PIPELINE, key),
        });
      // The predecessors' buckets apart from their renewals', each read in a batch of its own.
      const buckets = ['9001', '9002', '9003', '9004'].map((k) => keyBucket(k, settings.buckets));
      expect(new Set(buckets).size).toBe(4);
      const check = await checkByBuckets({
        rt,
        parts,
        ledger,
        settings,
        reportId: 'r-renewals',
        licenseIdFor,
        areas: await ledgerAreas(ledger, PIPELINE, settings.buckets, undefined, settings.pageSize),
        rowsPerBatch: 1,
      });
      expect(check).not.toBeNull();
      const missed = check?.differences.filter((d) => d.kind === 'missed').map((d) => d.sourceKey);
      expect(missed?.sort()).toEqual(['9001', '9002', '9003', '9004']);
      // The rows the run quarantined, and 9005.
      const open = await ledger.openQuarantineKeys(PIPELINE);
      expect(open).not.toContain('9005');
      expect(check?.source.quarantined).toBe(open.length + 1);
      expect(check?.unmappedRowIds.has(licenseIdFor('9002'))).toBe(false);
      expect(check?.unmappedRowIds.has(licenseIdFor('9005'))).toBe(true);
    } finally {
      await rt.close();
    }
  });

  it('reconcile: the report counts the renewals as missed', { timeout: 60_000 }, async () => {
    const rt = new Runtime(config, logger);
    try {
      const report = await reconcilePipeline(rt, { pipeline: PIPELINE, store: false });
      const missed = report.all.filter((d) => d.kind === 'missed').map((d) => d.sourceKey);
      expect(missed.sort()).toEqual(['9001', '9002', '9003', '9004']);
    } finally {
      await rt.close();
    }
  });

  it('every row mapped (a source without digests): the renewals map, the unknown one does not', {
    timeout: 60_000,
  }, async () => {
    const rt = new Runtime(config, logger);
    try {
      const [parts, ledger] = await Promise.all([rt.pipeline(PIPELINE), rt.ledger()]);
      const fold = await foldSource(parts, ledger, 'r-fold', reconcileSettings(rt).buckets);
      const open = await ledger.openQuarantineKeys(PIPELINE);
      expect([...fold.unmappable].sort()).toEqual([...open, '9005'].sort());
      expect(fold.keys).toEqual(expect.arrayContaining(['9001', '9002', '9003', '9004']));
    } finally {
      await rt.close();
    }
  });
});
