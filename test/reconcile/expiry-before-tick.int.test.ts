/**
 * A full check after midnight, before the day's lifecycle tick: the check maps `expired` (derived
 * expiry) a license whose validity ended yesterday, which the ledger holds `valid` until the tick
 * writes its expiry. It was reported as a content difference, the check exited 1 and a repair
 * re-read what the tick settles by itself. Such a license is now counted apart
 * (`counts.source.awaitingTick`) and is no difference; a row that also changed otherwise still is.
 */
import { readFile, writeFile } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { lifecycleTick } from '../../pipelines/lifecycle/tick.js';
import { reconcilePipeline } from '../../pipelines/reconcile/reconcile.js';
import { textReport } from '../../pipelines/reconcile/text-report.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const logger = createLogger({ level: 'silent' });
const PIPELINE = 'food-business-licenses';
/** The last day of validity of the rows the test watches, and the day after it. */
const LAST_DAY = '2030-06-30';
const NEXT_DAY = '2030-07-01';

describe('a license whose validity just ended, before the lifecycle tick', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;
  let ids: number[] = [];
  const saved = process.env.LICBRIDGE_TODAY;

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 30, seed: 11 });
    const yaml = await readFile(ws.configFile, 'utf8');
    await writeFile(ws.configFile, `${yaml}reconcile: { afterRun: none }\n`);
    config = await loadConfig({ file: ws.configFile, env: {} });
    const legacy = new Database(ws.legacyDb);
    ids = legacy
      .prepare("SELECT ID FROM T_SPXK_XKZ WHERE ZT = '1' AND YZSBH IS NULL ORDER BY ID LIMIT 3")
      .pluck()
      .all() as number[];
    expect(ids).toHaveLength(3);
    legacy.prepare(`UPDATE T_SPXK_XKZ SET YXQZ = '20300630' WHERE ID IN (${ids.join(',')})`).run();
    legacy.close();
    // The run on the last day: the three are valid.
    process.env.LICBRIDGE_TODAY = LAST_DAY;
    const [s] = await runPipelines(config, { pipelines: [PIPELINE], full: false, logger });
    expect(s?.state).toBe('done');
    const edit = new Database(ws.legacyDb);
    // CHAR padding the mapping trims: the first two rows' buckets differ, their licenses do not.
    edit.prepare(`UPDATE T_SPXK_XKZ SET JYZMC = JYZMC || '  ' WHERE ID IN (${ids[0]}, ${ids[1]})`).run();
    // The third changed in content too.
    edit.prepare(`UPDATE T_SPXK_XKZ SET JYCS = JYCS || '一号' WHERE ID = ${ids[2]}`).run();
    edit.close();
  }, 120_000);
  afterEach(() => {
    if (saved === undefined) delete process.env.LICBRIDGE_TODAY;
    else process.env.LICBRIDGE_TODAY = saved;
  });
  afterAll(async () => ws?.cleanup());

  async function check(digests: boolean) {
    // The next day, before its tick: the ledger still holds the three valid.
    process.env.LICBRIDGE_TODAY = NEXT_DAY;
    const rt = new Runtime(config, logger);
    try {
      const ledger = await rt.ledger();
      const held = (await ledger.pipelineLicenses(PIPELINE)).filter((l) =>
        ids.map(String).includes(l.sourceKey),
      );
      expect(held.map((l) => l.status)).toEqual(['valid', 'valid', 'valid']);
      if (!digests) {
        // As for XML exports: every row is mapped and compared.
        const source = (await rt.pipeline(PIPELINE)).source as unknown as Record<string, unknown>;
        source.bucketDigests = undefined;
        source.readBuckets = undefined;
      }
      return await reconcilePipeline(rt, { pipeline: PIPELINE, store: false });
    } finally {
      await rt.close();
    }
  }

  for (const digests of [true, false]) {
    it(`no content difference for the expiry the tick writes (${digests ? 'by buckets' : 'every row mapped'}); a real change still is one`, {
      timeout: 60_000,
    }, async () => {
      const report = await check(digests);
      expect(report.all.map((d) => [d.kind, d.sourceKey])).toEqual([['content-mismatch', String(ids[2])]]);
      expect(report.counts.source.awaitingTick).toBe(2);
      const text = textReport(report, {
        lang: 'en',
        timeZone: 'Asia/Shanghai',
        policies: { deletedAtSource: 'flag', unknownAtPlatform: 'flag' },
      });
      expect(text).toContain("2 more licenses' validity has ended since the last lifecycle tick");
    });
  }

  it('once the tick has run, neither is left to count, and the changed row is still a difference', {
    timeout: 60_000,
  }, async () => {
    process.env.LICBRIDGE_TODAY = NEXT_DAY;
    const rt = new Runtime(config, logger);
    try {
      const tick = await lifecycleTick(rt, { pipelines: [PIPELINE] });
      expect(tick.pipelines[0]?.expired).toBeGreaterThanOrEqual(3);
      const report = await reconcilePipeline(rt, { pipeline: PIPELINE, store: false });
      expect(report.all.map((d) => [d.kind, d.sourceKey])).toEqual([['content-mismatch', String(ids[2])]]);
      expect(report.counts.source.awaitingTick).toBeUndefined();
    } finally {
      await rt.close();
    }
  });
});
