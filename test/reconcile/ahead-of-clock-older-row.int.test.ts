/**
 * A key held on an older row and on a row ahead of the source database's clock (a 9999-12-31
 * placeholder), in a legacy table whose key column is not unique: a run reads the key from the
 * older row and leaves the row ahead for its time (connectors/sql/key-cursors.ts
 * `newestOfRepeatedKeys`). The checks took the row ahead instead: the full check compared it with
 * the license read from the older row (a `content-mismatch` whose re-read changes nothing), and a
 * key whose older row was missed passed as waiting ahead of the clock, in the light check and
 * the full one alike: no `missed`, no repair, though a re-read issues its license.
 *
 * The demo table in PostgreSQL (GXSJ `timestamp(6)`), its primary key on ID dropped for an index.
 */
import { appendFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import { reconcilePipeline } from '../../pipelines/reconcile/reconcile.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { createPgLegacyWorkspace, type PgLegacyWorkspace } from '../support/pg-legacy.js';

const logger = createLogger({ level: 'silent' });
const PIPELINE = 'food-business-licenses';
const MISSED = '9002';
const PLACEHOLDER = "'2999-12-31 23:59:59'";

describe('a key on an older row and on a row ahead of the clock', { timeout: 120_000 }, () => {
  let ws: PgLegacyWorkspace;

  beforeAll(async () => {
    ws = await createPgLegacyWorkspace({ rows: 12, pageSize: 5 });
    await appendFile(ws.configFile, 'reconcile: { afterRun: none }\n');
    const sql = ws.pg.client;
    await sql.query('ALTER TABLE "T_SPXK_XKZ" DROP CONSTRAINT "T_SPXK_XKZ_pkey"');
    await sql.query('CREATE INDEX "IX_T_SPXK_XKZ_ID" ON "T_SPXK_XKZ" ("ID")');
    const config = await loadConfig({ file: ws.configFile, env: {} });
    const [s] = await runPipelines(config, { pipelines: [PIPELINE], full: false, logger });
    expect(s?.state).toBe('done');
    // Row `from` again under key `id`, its holder's name changed, its time of change `gxsj`.
    const copy = (id: string, from: string, gxsj: string, name: string) =>
      sql.query(
        `INSERT INTO "T_SPXK_XKZ" SELECT $1::integer, "XKZBH", "JYZMC" || $3::text, "TYSHXYDM", "FDDBR", "FDDBRSFZ", "JYCS", "ZTYT", "JYXM", "FZRQ", "YXQZ", "FZJG", "ZT", "XZQH", ${gxsj}, NULL FROM "T_SPXK_XKZ" WHERE "ID" = $2::integer`,
        [id, from, name],
      );
    // A licensed key gets a second row, changed, its time of change a "never" placeholder.
    await copy(ws.keys[0] as string, ws.keys[0] as string, PLACEHOLDER, '（变更）');
    // A key the run never read, its row committed behind the checkpoint, beside a row ahead.
    await copy(MISSED, ws.keys[1] as string, "'2001-01-01 00:00:00'", '');
    await copy(MISSED, ws.keys[1] as string, PLACEHOLDER, '（变更）');
  }, 120_000);
  afterAll(async () => {
    await ws?.cleanup();
  });

  for (const mode of ['light', 'full'] as const) {
    it(`the ${mode} check names the missed key missed and finds the licensed key as a run reads it`, async () => {
      const config = await loadConfig({ file: ws.configFile, env: {} });
      const rt = new Runtime(config, logger);
      try {
        const report = await reconcilePipeline(rt, { pipeline: PIPELINE, mode, store: false });
        expect(report.all.map((d) => [d.kind, d.sourceKey])).toEqual([['missed', MISSED]]);
        expect(report.counts.source.aheadOfClock).toBeUndefined();
      } finally {
        await rt.close();
      }
    });
  }

  it('a run reads the missed key from its older row, and the checks then agree', async () => {
    const config = await loadConfig({ file: ws.configFile, env: {} });
    const [s] = await runPipelines(config, { pipelines: [PIPELINE], full: true, logger });
    expect(s?.state).toBe('done');
    const rt = new Runtime(config, logger);
    try {
      for (const mode of ['light', 'full'] as const) {
        const report = await reconcilePipeline(rt, { pipeline: PIPELINE, mode, store: false });
        expect(report.all).toEqual([]);
      }
    } finally {
      await rt.close();
    }
  });
});
