/**
 * The HTML pages licbridge writes for people — the reconcile report in Chinese and English and the
 * quarantine worklist — laid out in a real headless Chromium at 1280 px (a laptop) and 390 px (a
 * phone), with the values a department's data brings: five-digit counts, a platform that cannot
 * be asked, long license identifiers, every kind of difference, and on the worklist the ledger's
 * own entries (LB_STORED_TEXT, LB_VERSION_LIMIT) with the notes and commands they bring.
 *
 * At 390 px the counts table gave its count column a fixed 15 % (about 40 px of text): its heading
 * broke mid-word (`licen|ses`, `证照|数`) and so did every count (`1289|0`); the area table's long
 * headings took four lines. Now no page is wider than the screen, no column heading breaks, and no
 * Latin word or number breaks across lines except an identifier too long for the line, which has
 * to; no text is fainter than WCAG AA allows. 320 px is the narrowest phone still in use. Breaks
 * between Chinese characters are the norm of Chinese text (W3C clreq, "Requirements for Chinese
 * Text Layout", 3.1) and are not counted.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { worklistHtml } from '../../pipelines/quarantine-export.js';
import type { Worklist } from '../../pipelines/quarantine-list.js';
import { reasonText } from '../../pipelines/quarantine-reasons.js';
import { htmlReport } from '../../pipelines/reconcile/html-report.js';
import { reconcileSettings, reportOptions } from '../../pipelines/reconcile/settings.js';
import {
  DIFFERENCE_KINDS,
  type DifferenceKind,
  type ReconcileReport,
  type ShownDifference,
} from '../../pipelines/reconcile/types.js';
import { chromiumAvailable, launchChromium, render } from '../support/browser.js';

const PLATFORM_KINDS: DifferenceKind[] = [
  'missing-at-platform',
  'unknown-at-platform',
  'status-drift',
  'platform-content-mismatch',
  'unreadable-at-platform',
];

/**
 * A full check of a county's food business licenses: one difference of each kind, and one license
 * the platform holds under a pipeline no longer in the config (`outsideConfig`), whose group has
 * the report's longest heading and label.
 */
function report(): ReconcileReport {
  const kinds: DifferenceKind[] = [...DIFFERENCE_KINDS, 'unknown-at-platform'];
  const sample: ShownDifference[] = kinds.map((kind, i) => ({
    kind,
    licenseId: `1.2.156.3005.2.11370200MB12345674001.11370211MB12345672.K4Y975IEPO1UZ9OZS7V${i}`,
    sourceKey: String(10_480 + i),
    target: PLATFORM_KINDS.includes(kind) ? 'province' : null,
    ledger: { version: 2, versionId: 7, status: 'valid', contentHash: 'h' },
    platform: { version: 1, status: 'revoked', contentHash: 'x', platformId: `P-${i}` },
    ...(kind === 'unreadable-at-platform'
      ? { unreadable: { reason: 'its version is not a number', position: 17 } }
      : {}),
    ...(i === DIFFERENCE_KINDS.length ? { outsideConfig: true as const } : {}),
    number: `JY23702110012345${i}`,
    holderName: '青岛西海岸新区**********有限公司',
    holderId: '91370211MA3*******',
  }));
  return {
    reportId: 'd1c3f0a2-8e0b-4a3e-9d61-2c9e6c1b7a55',
    pipeline: 'food-business-licenses',
    mode: 'full',
    licenseType: '11370200MB12345674001',
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:05.000Z',
    counts: {
      source: {
        total: 12_890,
        byStatus: { valid: 12_000, revoked: 800, cancelled: 90 },
        byArea: { '370211': 5000, '370202': 7890 },
        quarantined: 12,
      },
      ledger: {
        total: 12_891,
        byStatus: { valid: 12_001, revoked: 800, cancelled: 90 },
        byArea: { '370211': 5001, '370202': 7890 },
      },
      targets: {
        province: {
          total: 12_880,
          byStatus: { valid: 11_990, revoked: 800, cancelled: 90 },
          awaitingDelivery: 11,
        },
        'city-open-data': { unavailable: 'connect ECONNREFUSED 10.20.30.40:443' },
      },
    },
    buckets: { total: 4096, differing: 9 },
    byKind: Object.fromEntries(
      DIFFERENCE_KINDS.map((k) => [k, k === 'unknown-at-platform' ? 2 : 1]),
    ) as ReconcileReport['byKind'],
    byKindAndSide: {},
    differences: kinds.length,
    sample,
    all: sample,
  };
}

/**
 * A worklist of rows to fix at the source, and the ledger's own entries: a stored text that does
 * not read (LB_STORED_TEXT) and a license at version 999 (LB_VERSION_LIMIT), which bring the
 * page's notes on how those leave the list, commands and all.
 */
function worklist(): Worklist {
  const codes = ['LB_HOLDER_ID_CHECK', 'LB_MAP_DATE', 'LB_MAP_TOO_LONG'];
  const ledgerCodes = ['LB_STORED_TEXT', 'LB_VERSION_LIMIT'];
  const seen = { firstSeen: new Date('2026-01-01T00:00:00Z'), lastSeen: new Date('2026-01-02T00:00:00Z') };
  return {
    entries: [
      ...codes.map((code, i) => ({
        pipeline: 'food-business-licenses',
        sourceKey: `SPXK-2026-00001048${i}`,
        reasons: [
          { code, message: 'm', ...reasonText(code), column: 'FDDBRSFZ', value: '3702**********123X' },
        ],
        ...seen,
        timesSeen: 1234,
      })),
      ...ledgerCodes.map((code, i) => ({
        pipeline: 'food-business-licenses',
        sourceKey: `SPXK-2026-00001049${i}`,
        reasons: [{ code, message: 'm', ...reasonText(code) }],
        ...seen,
        timesSeen: 1,
      })),
    ],
    byReason: Object.fromEntries([...codes.map((c) => [c, 10_480]), ...ledgerCodes.map((c) => [c, 1])]),
  };
}

/**
 * Evaluated in the page: the column headings (cells of a table's first row) that take more than
 * one line, and the Latin words and numbers split across lines (a word's rendered boxes, as
 * `Intl.Segmenter` cuts the text, sit on more than one line) that had no need to: a count, or a
 * word no wider than the line it sits in. A license identifier wider than its column has to break.
 */
const BROKEN = `(() => {
  const lines = (range) => new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.bottom))).size;
  const headings = [];
  for (const th of document.querySelectorAll('table tr:first-child > th')) {
    if (th.getClientRects().length === 0 || !th.textContent.trim()) continue;
    const r = document.createRange();
    r.selectNodeContents(th);
    if (lines(r) > 1) headings.push(th.textContent);
  }
  const words = [];
  const line = (node) => {
    let el = node.parentElement;
    while (getComputedStyle(el).display === 'inline') el = el.parentElement;
    const style = getComputedStyle(el);
    return el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  };
  const seg = new Intl.Segmenter(document.documentElement.lang, { granularity: 'word' });
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    for (const s of seg.segment(n.data)) {
      if (!s.isWordLike || !/^[A-Za-z0-9]/.test(s.segment) || s.segment.length < 2) continue;
      const r = document.createRange();
      r.setStart(n, s.index);
      r.setEnd(n, s.index + s.segment.length);
      if (lines(r) < 2) continue;
      const width = [...r.getClientRects()].reduce((a, b) => a + b.width, 0);
      if (/^[0-9]{1,9}$/.test(s.segment) || width <= line(n)) words.push(s.segment);
    }
  }
  return { headings, words };
})()`;

/**
 * Evaluated in the page: text whose colour has less contrast with its background than WCAG 2.1
 * (1.4.3, AA) asks of body text, 4.5:1; the background is the nearest one set, else white.
 */
const LOW_CONTRAST = `(() => {
  const rgb = (c) => c.match(/[\\d.]+/g).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }).reduce((a, v, i) => a + v * [0.2126, 0.7152, 0.0722][i], 0);
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (![...el.childNodes].some((n) => n.nodeType === 3 && n.data.trim())) continue;
    let bg = el;
    while (bg && rgb(getComputedStyle(bg).backgroundColor)[3] === 0) bg = bg.parentElement;
    const back = bg ? rgb(getComputedStyle(bg).backgroundColor) : [255, 255, 255];
    const [a, b] = [lum(rgb(getComputedStyle(el).color)), lum(back)].sort((x, y) => y - x);
    const ratio = (a + 0.05) / (b + 0.05);
    if (ratio < 4.5) out.push(el.tagName.toLowerCase() + ' ' + ratio.toFixed(2) + ': ' + el.textContent.trim().slice(0, 30));
  }
  return out;
})()`;

let browser: Browser;
let dir = '';

beforeAll(async () => {
  if (!chromiumAvailable()) throw new Error('Chromium is missing: apt-get install -y chromium (see .ci/run)');
  browser = await launchChromium();
  dir = await mkdtemp(join(tmpdir(), 'lb-report-layout-'));
  const zh = reportOptions(reconcileSettings({ config: {} }));
  await writeFile(join(dir, 'report-zh.html'), htmlReport(report(), zh));
  await writeFile(join(dir, 'report-en.html'), htmlReport(report(), { ...zh, lang: 'en' }));
  await writeFile(join(dir, 'worklist.html'), worklistHtml(worklist(), 'Asia/Shanghai'));
});

afterAll(async () => {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.each([1280, 390, 320])('at %i px', (width) => {
  it.each(['report-zh', 'report-en', 'worklist'])(
    '%s fits the screen, breaks no heading and no word, and holds no faint text',
    async (name) => {
      const page = await render(browser, join(dir, `${name}.html`), width);
      try {
        expect(page.overflows).toEqual([]);
        expect(await page.page.evaluate(BROKEN)).toEqual({ headings: [], words: [] });
        expect(await page.page.evaluate(LOW_CONTRAST)).toEqual([]);
        await page.page.screenshot({ path: join(dir, `${name}-${width}.png`), fullPage: true });
      } finally {
        await page.close();
      }
    },
  );
});

describe("the report's licenses held under a pipeline no longer in the config", () => {
  // The checks above read their group's heading only if the page holds it.
  it.each([
    ['report-zh', '平台多出（所属流水线已不在配置中或不再推送到该平台）：1 条'],
    [
      'report-en',
      'extra at the platform (held under a pipeline no longer in the config or no longer delivering here): 1',
    ],
  ])('%s gives them a heading of their own, laid out above', async (name, heading) => {
    const page = await render(browser, join(dir, `${name}.html`), 320);
    try {
      const h3 = (await page.page.evaluate(
        "[...document.querySelectorAll('h3')].map((h) => h.textContent)",
      )) as string[];
      expect(h3).toContain(heading);
    } finally {
      await page.close();
    }
  });
});

describe("the worklist's ledger entries", () => {
  // The checks above read the notes these entries bring only if the page holds them.
  it('bring their notes, commands and all, to the page laid out above', async () => {
    const page = await render(browser, join(dir, 'worklist.html'), 320);
    try {
      const text = (await page.page.evaluate('document.body.innerText')) as string;
      expect(text).toContain('原因为 LB_STORED_TEXT 的记录例外');
      expect(text).toContain('原因为 LB_VERSION_LIMIT 的记录例外');
      expect(text).toContain('licbridge quarantine resolve <key> --pipeline P --reason LB_VERSION_LIMIT');
      expect(text).toContain('licbridge dlq discard');
    } finally {
      await page.close();
    }
  });
});

describe("the worklist's counts by reason", () => {
  // Its header row fixed two equal halves, a count taking half a phone; at 320 px a reason code
  // (`LB_HOLDER_ID_CHECK`) then broke in the other half.
  it.each([390, 320])('give the reasons most of the width at %i px', async (width) => {
    const page = await render(browser, join(dir, 'worklist.html'), width);
    try {
      const share = (await page.page.evaluate(
        "(() => { const t = document.querySelector('table.summary'); return t.querySelector('td').offsetWidth / t.offsetWidth; })()",
      )) as number;
      expect(share).toBeGreaterThan(0.6);
    } finally {
      await page.close();
    }
  });
});

describe('the probes', () => {
  it('finds a heading on two lines, a count split in a narrow column, a word split that fits its line and faint text', async () => {
    await writeFile(
      join(dir, 'narrow.html'),
      '<!doctype html><html lang="en"><meta name="viewport" content="width=device-width"><table style="table-layout:fixed;width:300px"><col style="width:36px"><col><tr><th style="overflow-wrap:anywhere">licenses</th><th>x</th></tr><tr><td style="overflow-wrap:anywhere">12890</td><td>y</td></tr></table><p style="width:9ch;font:16px monospace;word-break:break-all">abc licenses</p><p style="color:#999">faint</p></html>',
    );
    const page = await render(browser, join(dir, 'narrow.html'), 390);
    try {
      expect(await page.page.evaluate(BROKEN)).toEqual({
        headings: ['licenses'],
        words: ['12890', 'licenses'],
      });
      expect(await page.page.evaluate(LOW_CONTRAST)).toEqual(['p 2.85: faint']);
    } finally {
      await page.close();
    }
  });
});
