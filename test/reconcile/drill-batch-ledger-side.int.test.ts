/**
 * A full check reads the buckets that differ in batches of about 50,000 rows, the ledger's licenses
 * of a batch before its source rows, so that memory holds one batch. The batches were sized by the
 * source's rows alone: a source emptied (a table truncated, a view broken by maintenance, what the
 * guard against mass effects is for) has none, so every differing bucket, every bucket of the
 * ledger, went into one batch, and the check read every license of the pipeline at once — some
 * 300 MB at 1,000,000 licenses, the memory the paged walks of the ledger were made to save. A
 * batch is now sized by both sides' rows in its buckets, as the digests count them.
 */
import { readFile, writeFile } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveSerial, licenseIdOf } from '../../catalog/identifier.js';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { ENDED_STATUSES } from '../../ledger/predecessors.js';
import { ledgerAreas } from '../../pipelines/reconcile/area-counts.js';
import { checkByBuckets } from '../../pipelines/reconcile/bucket-side.js';
import { reconcileSettings } from '../../pipelines/reconcile/settings.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { type AnswerSize, watchedLedger } from './watched-ledger.js';

const logger = createLogger({ level: 'silent' });
const PIPELINE = 'food-business-licenses';
/** Rows a drill-down batch aims at, both sides' (50,000 in a check). */
const BATCH = 10;

describe('the drill-down batches, sized by the ledger side too', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 40, seed: 47 });
    const yaml = await readFile(ws.configFile, 'utf8');
    await writeFile(ws.configFile, `${yaml}reconcile: { afterRun: none }\n`);
    config = await loadConfig({ file: ws.configFile, env: {} });
    const [s] = await runPipelines(config, { pipelines: [PIPELINE], full: false, logger });
    expect(s?.state).toBe('done');
    // The table emptied: every license's bucket differs, and the source has no row in any.
    const legacy = new Database(ws.legacyDb);
    legacy.prepare('delete from T_SPXK_XKZ').run();
    legacy.close();
  }, 60_000);
  afterAll(async () => ws?.cleanup());

  it('an emptied source: every license found deleted, no batch reading more of the ledger than it aims at', async () => {
    const rt = new Runtime(config, logger);
    const sizes: AnswerSize[] = [];
    try {
      const real = await rt.ledger();
      const licenses = await real.pipelineLicenses(PIPELINE);
      expect(licenses.length).toBeGreaterThan(3 * BATCH);
      const ledger = watchedLedger(real, sizes);
      const parts = await rt.pipeline(PIPELINE);
      const settings = reconcileSettings(rt);
      const areas = await ledgerAreas(ledger, PIPELINE, settings.buckets, undefined, settings.pageSize);
      sizes.length = 0;
      const check = await checkByBuckets({
        rt,
        parts,
        ledger,
        settings,
        reportId: 'r-drill',
        licenseIdFor: (key) =>
          licenseIdOf({
            typeCode: parts.config.licenseType,
            issuerCode: parts.config.issuer.code,
            serial: deriveSerial(PIPELINE, key),
          }),
        areas,
        rowsPerBatch: BATCH,
      });
      expect(check).not.toBeNull();
      const deleted = check?.differences.filter((d) => d.kind === 'deleted-at-source') ?? [];
      // Those not ended by an act already (revoked, cancelled or withdrawn keep their ending).
      const unended = licenses.filter((l) => !ENDED_STATUSES.has(l.status));
      expect(unended.length).toBeGreaterThan(3 * BATCH);
      expect(deleted.map((d) => d.licenseId).sort()).toEqual(unended.map((l) => l.licenseId).sort());
      expect(check?.source.total).toBe(0);

      const drilled = sizes.filter((s) => s.method === 'ledgerRowsInBuckets');
      expect(drilled.reduce((n, s) => n + s.n, 0)).toBe(licenses.length);
      for (const s of drilled) expect(s.n).toBeLessThanOrEqual(BATCH);
    } finally {
      await rt.close();
    }
  });
});
