/**
 * The HTML report's area table in a real headless Chromium, after a check that finds no
 * difference while licbridge holds licenses no source row stands behind: one whose deletion the
 * `deletedAtSource` policy answered (revoked, sourceless) and one cancelled whose row is gone.
 * Its areas count more on licbridge's side than at the business system, yet no cell is red:
 * red means a difference the report counts, as the legend under the table says.
 *
 * Set LICBRIDGE_DOCS_SCREENSHOTS=1 to keep the screenshot in docs/images/.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { htmlReport } from '../../pipelines/reconcile/html-report.js';
import { reconcilePipeline } from '../../pipelines/reconcile/reconcile.js';
import { reconcileSettings, reportOptions } from '../../pipelines/reconcile/settings.js';
import type { ReconcileReport } from '../../pipelines/reconcile/types.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { chromiumAvailable, launchChromium, render } from '../support/browser.js';
import { ROOT } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const logger = createLogger({ level: 'silent' });
const PIPELINE = 'food-business-licenses';
const TABLE = 'T_SPXK_XKZ';
const SHOTS = process.env.LICBRIDGE_DOCS_SCREENSHOTS === '1' ? join(ROOT, 'docs', 'images') : undefined;

let ws: DemoWorkspace;
let browser: Browser;
let out: string;
let report: ReconcileReport;

beforeAll(async () => {
  if (!chromiumAvailable()) throw new Error('Chromium is missing: apt-get install -y chromium (see .ci/run)');
  ws = await createDemoWorkspace({ rows: 40, seed: 5 });
  const yaml = await readFile(ws.configFile, 'utf8');
  await writeFile(ws.configFile, `${yaml}reconcile: { buckets: 64, deletedAtSource: revoke }\n`);
  const config: Readonly<Config> = await loadConfig({ file: ws.configFile, env: {} });
  const [s] = await runPipelines(config, { pipelines: [PIPELINE], full: false, logger });
  expect(s?.state).toBe('done');

  // Two licenses whose rows are gone and that are no difference: the state a `revoke` repair
  // leaves (revoked, no source row behind it), and a license cancelled before its row went.
  const ledgerDb = new Database(join(ws.dir, 'data', 'ledger.db'));
  const [answered, ended] = ledgerDb
    .prepare(
      `select source_key from licenses where pipeline = ? and status = 'valid' order by license_id limit 2`,
    )
    .pluck()
    .all(PIPELINE) as string[];
  ledgerDb
    .prepare(
      `update licenses set status = 'revoked', source_fp = '-', source_fp_ctx = null where source_key = ?`,
    )
    .run(answered);
  ledgerDb.prepare(`update licenses set status = 'cancelled' where source_key = ?`).run(ended);
  ledgerDb.close();
  const legacy = new Database(ws.legacyDb);
  for (const key of [answered, ended]) legacy.prepare(`delete from ${TABLE} where ID = ?`).run(key);
  legacy.close();

  const rt = new Runtime(config, logger);
  try {
    report = await reconcilePipeline(rt, { pipeline: PIPELINE, targets: [], store: false });
  } finally {
    await rt.close();
  }
  out = await mkdtemp(join(tmpdir(), 'licbridge-areas-'));
  const options = reportOptions(reconcileSettings({ config }));
  await writeFile(join(out, 'report.html'), htmlReport(report, options));
  await writeFile(join(out, 'report-en.html'), htmlReport(report, { ...options, lang: 'en' }));
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await ws?.cleanup();
  if (out) await rm(out, { recursive: true, force: true });
});

/** The area table's cells of licbridge's side (the third column), with their text colour. */
const OWN_CELLS = `(() => {
  const h = [...document.querySelectorAll('h2')].find((e) => /区划|area/.test(e.textContent));
  const table = h && h.nextElementSibling;
  if (!table) return [];
  return [...table.querySelectorAll('tr')].slice(1).map((tr) => {
    const td = tr.querySelectorAll('td')[2];
    return { text: td.textContent, color: getComputedStyle(td).color };
  });
})()`;

describe('the area table after a check without differences', () => {
  it('holds areas where licbridge counts more than the business system', () => {
    expect(report.differences).toBe(0);
    const sum = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);
    expect(sum(report.counts.ledger.byArea) - sum(report.counts.source.byArea)).toBe(2);
  });

  it.each([
    ['report.html', 1280, '红色：该区划两边数量不同'],
    ['report-en.html', 390, 'Red: the two counts of the area differ'],
  ])('%s at %i px shows no red cell and says what red means', async (name, width, legend) => {
    const page = await render(browser, join(out, name), width);
    try {
      const cells = (await page.page.evaluate(OWN_CELLS)) as { text: string; color: string }[];
      expect(cells.length).toBeGreaterThan(0);
      // #a3322d is the report's red (`.bad`); the body's text is #222.
      expect(cells.filter((c) => c.color !== 'rgb(34, 34, 34)')).toEqual([]);
      expect(page.text).toContain(legend);
      expect(page.overflows).toEqual([]);
      const shot = await page.page.screenshot({
        path: SHOTS ? join(SHOTS, `reconcile-areas-${width}.png`) : join(out, `areas-${width}.png`),
        fullPage: true,
      });
      expect(shot.length).toBeGreaterThan(1000);
    } finally {
      await page.close();
    }
  });
});
