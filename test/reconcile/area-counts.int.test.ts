import { readFile, writeFile } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { htmlReport } from '../../pipelines/reconcile/html-report.js';
import { reconcilePipeline } from '../../pipelines/reconcile/reconcile.js';
import { reconcileSettings, reportOptions } from '../../pipelines/reconcile/settings.js';
import { textReport } from '../../pipelines/reconcile/text-report.js';
import type { ReconcileProgress } from '../../pipelines/reconcile/types.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const logger = createLogger({ level: 'silent' });
const PIPELINE = 'food-business-licenses';
const BUCKETS = 64;
/** A division code no demo row holds (Qingdao, Shinan district). */
const MOVED_TO = '370202';

describe('reconcile: counts per area code', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;

  const check = async (onProgress?: (p: ReconcileProgress) => void) => {
    const rt = new Runtime(config, logger);
    try {
      return await reconcilePipeline(rt, { pipeline: PIPELINE, ...(onProgress ? { onProgress } : {}) });
    } finally {
      await rt.close();
    }
  };

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 60, seed: 23 });
    const yaml = await readFile(ws.configFile, 'utf8');
    await writeFile(ws.configFile, `${yaml}reconcile: { buckets: ${BUCKETS} }\n`);
    config = await loadConfig({ file: ws.configFile, env: {} });
    const [s] = await runPipelines(config, { pipelines: [PIPELINE], full: false, logger });
    expect(s?.state).toBe('done');
  }, 60_000);
  afterAll(async () => {
    await ws?.cleanup();
  });

  it('counts source and ledger licenses per area, and they agree after a run', async () => {
    const report = await check();
    expect(report.differences).toBe(0);
    const { source, ledger } = report.counts;
    // The mapped column XZQH, counted straight from the source table for the keys the ledger holds.
    const db = new Database(ws.legacyDb, { readonly: true });
    const keys = new Set(await ledgerKeys());
    const expected: Record<string, number> = {};
    for (const r of db.prepare('select ID as id, XZQH as area from T_SPXK_XKZ').all() as {
      id: unknown;
      area: string | null;
    }[]) {
      if (!keys.has(String(r.id))) continue;
      const area = (r.area ?? '').trim() || '370211';
      expected[area] = (expected[area] ?? 0) + 1;
    }
    db.close();
    expect(ledger.byArea).toEqual(expected);
    expect(source.byArea).toEqual(expected);
    expect(Object.values(source.byArea).reduce((a, b) => a + b, 0)).toBe(source.total);
  });

  it('shows a row moved to another area on the source side only, in text, JSON and HTML', async () => {
    const [key] = await ledgerKeys();
    const db = new Database(ws.legacyDb);
    const before = (
      db.prepare('select XZQH as area from T_SPXK_XKZ where ID = ?').get(key) as { area: string }
    ).area;
    db.prepare('update T_SPXK_XKZ set XZQH = ? where ID = ?').run(MOVED_TO, key);
    db.close();
    const from = before.trim() || '370211';

    const seen: ReconcileProgress[] = [];
    const report = await check((p) => seen.push(p));
    const { source, ledger } = report.counts;
    expect(report.byKind['content-mismatch']).toBe(1);
    expect(source.byArea[MOVED_TO]).toBe(1);
    expect(ledger.byArea[MOVED_TO]).toBeUndefined();
    expect(source.byArea[from]).toBe((ledger.byArea[from] ?? 0) - 1);

    const json = JSON.parse(JSON.stringify(report)) as typeof report;
    expect(json.counts.source.byArea[MOVED_TO]).toBe(1);
    const settings = reconcileSettings({ config });
    expect(textReport(report, reportOptions(settings, 'en'))).toContain(`source by area: `);
    expect(textReport(report, reportOptions(settings, 'en'))).toMatch(
      new RegExp(`source by area: .*${MOVED_TO} 1`),
    );
    expect(htmlReport(report, reportOptions(settings))).toContain(
      `<code>${MOVED_TO}</code></td><td>1</td><td class="bad">0</td>`,
    );

    // Progress reached the caller: the drilled rows against a total known from the digests.
    const drilled = seen.filter((p) => p.phase === 'source');
    expect(drilled.length).toBeGreaterThan(0);
    const last = drilled[drilled.length - 1];
    expect(last?.done).toBe(last?.total);
    expect(seen.some((p) => p.phase === 'platform' && p.target === 'province')).toBe(true);
  });

  async function ledgerKeys(): Promise<string[]> {
    const rt = new Runtime(config, logger);
    try {
      const ledger = await rt.ledger();
      const all = Array.from({ length: BUCKETS }, (_, b) => b);
      return (await ledger.ledgerRowsInBuckets(PIPELINE, BUCKETS, all)).map((l) => l.sourceKey).sort();
    } finally {
      await rt.close();
    }
  }
});
