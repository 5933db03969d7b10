/**
 * The HTML files licbridge writes for people — the reconcile report and the quarantine worklist —
 * opened in a real headless Chromium with values from legacy data and platform answers that look
 * like markup in every field they show: each value reads as text, nothing of it runs, and the
 * page's own content policy stops a script or a request even if one ever slipped through.
 */
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { worklistHtml } from '../../pipelines/quarantine-export.js';
import type { Worklist } from '../../pipelines/quarantine-list.js';
import { htmlReport } from '../../pipelines/reconcile/html-report.js';
import { reconcileSettings, reportOptions } from '../../pipelines/reconcile/settings.js';
import { DIFFERENCE_KINDS, type ReconcileReport } from '../../pipelines/reconcile/types.js';
import { chromiumAvailable, launchChromium } from '../support/browser.js';

/** Closes whatever attribute or element it lands in, then tries to run and to call home. */
const X = `"'><img src=x onerror="window.__injected=1"><script>window.__injected=2</script>`;

function hostileReport(): ReconcileReport {
  const d = {
    licenseId: `lic-${X}`,
    sourceKey: `key-${X}`,
    target: `t-${X}`,
    ledger: { version: 2, versionId: 7, status: `s-${X}`, contentHash: 'h' },
    platform: { version: 1, status: `p-${X}`, contentHash: null, platformId: `pid-${X}` },
    number: `no-${X}`,
    holderName: `name-${X}`,
    holderId: `id-${X}`,
  };
  return {
    reportId: `report-${X}`,
    pipeline: `pipe-${X}`,
    mode: 'full',
    licenseType: `type-${X}`,
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:05.000Z',
    counts: {
      source: { total: 1, byStatus: { [`st-${X}`]: 1 }, byArea: { [`area-${X}`]: 1 }, quarantined: 2 },
      ledger: { total: 1, byStatus: { valid: 1 }, byArea: {} },
      targets: { [`tg-${X}`]: { unavailable: `why-${X}` }, ok: { total: 1, byStatus: { [`ps-${X}`]: 1 } } },
    },
    buckets: { total: 4096, differing: 1 },
    byKind: Object.fromEntries(
      DIFFERENCE_KINDS.map((k) => [k, k === 'status-drift' ? 2 : 0]),
    ) as ReconcileReport['byKind'],
    byKindAndSide: {},
    differences: 2,
    sample: [
      { ...d, kind: 'status-drift' },
      { ...d, kind: 'status-drift', target: null },
    ],
    all: [],
  };
}

function hostileWorklist(): Worklist {
  const seen = new Date('2026-01-01T00:00:00Z');
  return {
    entries: [
      {
        pipeline: `pipe-${X}`,
        sourceKey: `key-${X}`,
        reasons: [
          {
            code: `code-${X}`,
            message: `m-${X}`,
            zh: `zh-${X}`,
            en: `en-${X}`,
            column: `col-${X}`,
            value: `v-${X}`,
          },
          { code: 'SCHEMA', message: 'm', zh: 'zh', en: 'en', path: `path-${X}` },
        ],
        firstSeen: seen,
        lastSeen: seen,
        timesSeen: 1,
      },
    ],
    byReason: { [`code-${X}`]: 1 },
  };
}

let browser: Browser;
let dir = '';
let home: Server;
let homeUrl = '';
let calls = 0;

beforeAll(async () => {
  if (!chromiumAvailable()) throw new Error('Chromium is missing: apt-get install -y chromium (see .ci/run)');
  browser = await launchChromium();
  dir = await mkdtemp(join(tmpdir(), 'lb-report-html-'));
  // Where a slipped-in image would send the page's data.
  home = createServer((_req, res) => {
    calls += 1;
    res.end();
  });
  home.listen(0, '127.0.0.1');
  await once(home, 'listening');
  homeUrl = `http://127.0.0.1:${(home.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  await browser?.close();
  home?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const ZH = reportOptions(reconcileSettings({ config: {} }));
const pages: [string, () => string][] = [
  ['the reconcile report (zh)', () => htmlReport(hostileReport(), ZH)],
  ['the reconcile report (en)', () => htmlReport(hostileReport(), { ...ZH, lang: 'en' })],
  ['the quarantine worklist', () => worklistHtml(hostileWorklist(), 'Asia/Shanghai')],
];

describe('HTML reports opened in a browser', () => {
  it.each(pages)('%s shows markup-like values as text and runs none of them', async (name, html) => {
    const file = join(dir, `${name.replace(/\W+/g, '-')}.html`);
    await writeFile(file, html());
    const page = await browser.newPage();
    try {
      const refused: string[] = [];
      await page.exposeFunction('__refused', (d: string) => refused.push(d));
      await page.addInitScript(
        "document.addEventListener('securitypolicyviolation', (e) => window.__refused(e.effectiveDirective))",
      );
      await page.goto(`file://${file}`);
      expect(await page.evaluate('window.__injected')).toBeUndefined();
      expect(await page.locator('img, script').count()).toBe(0);
      // The page's own styles (its <style> and <col style>) pass its policy: nothing refused.
      expect(refused).toEqual([]);
      expect(await page.evaluate("getComputedStyle(document.querySelector('table')).borderCollapse")).toBe(
        'collapse',
      );
      const text = (await page.evaluate('document.body.innerText')) as string;
      // Whole values, as written: the key and the pipeline name at least.
      expect(text).toContain(`key-${X}`);
      expect(text).toContain(`pipe-${X}`);
    } finally {
      await page.close();
    }
  });

  it.each(pages)('%s refuses scripts and requests even when markup gets in', async (name, html) => {
    const file = join(dir, `${name.replace(/\W+/g, '-')}-policy.html`);
    await writeFile(file, html());
    const page = await browser.newPage();
    try {
      await page.goto(`file://${file}`);
      const before = calls;
      // As an escaping slip would put them in the page.
      await page.evaluate(`(() => {
        const s = document.createElement('script');
        s.textContent = 'window.__injected = 3';
        document.body.append(s);
        document.body.insertAdjacentHTML('beforeend', '<img src="${homeUrl}leak">');
      })()`);
      await page.waitForLoadState('load');
      await page
        .locator('img')
        .evaluate('(img) => img.complete || new Promise((r) => { img.onload = img.onerror = r; })');
      expect(await page.evaluate('window.__injected')).toBeUndefined();
      expect(calls).toBe(before);
    } finally {
      await page.close();
    }
  });
});
