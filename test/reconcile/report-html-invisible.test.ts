/**
 * The HTML reconcile report shows values from the business system and the platforms: a license
 * number, a legal person's name, a record key, a platform's status. Text with a bidi override in
 * it (U+202E) reads otherwise than its bytes in a browser (Trojan Source, CVE-2021-42574), and
 * the override runs on past its value to the end of the line: a platform's status ending in
 * one turned the counts after it in its cell around. Zero-width and control characters show as
 * nothing, so two different numbers looked alike. The report now names each such character by its
 * code point (`<U+202E>`), as licbridge's messages do; tabs and line breaks stay.
 */
import { describe, expect, it } from 'vitest';
import { htmlReport } from '../../pipelines/reconcile/html-report.js';
import { reconcileSettings, reportOptions } from '../../pipelines/reconcile/settings.js';
import { DIFFERENCE_KINDS, type ReconcileReport } from '../../pipelines/reconcile/types.js';

const ZH = reportOptions(reconcileSettings({ config: {} }));
const EN = { ...ZH, lang: 'en' as const };
const RLO = '\u202e';
/** Bidi embeddings, overrides, isolates and marks, zero-width and other format characters, controls but tab and newline. */
const HIDDEN = /(?![\t\n])[\p{Cf}\p{Cc}]/u;

function report(): ReconcileReport {
  const byKind = Object.fromEntries(DIFFERENCE_KINDS.map((k) => [k, 0])) as ReconcileReport['byKind'];
  byKind['status-drift'] = 1;
  const d = {
    kind: 'status-drift' as const,
    licenseId: `lic-1${RLO}`,
    sourceKey: `K-${RLO}42`,
    target: 'province',
    ledger: { version: 2, versionId: 7, status: 'valid' as const, contentHash: 'h' },
    platform: { version: 1, status: `revoked${RLO}`, contentHash: null, platformId: null },
  };
  return {
    reportId: 'r1',
    pipeline: 'food',
    mode: 'full',
    licenseType: 'type-1',
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:05.000Z',
    counts: {
      source: { total: 3, byStatus: { valid: 3 }, byArea: { [`3702${RLO}11`]: 3 }, quarantined: 0 },
      ledger: { total: 3, byStatus: { valid: 3 }, byArea: {} },
      targets: { province: { total: 3, byStatus: { [`paused${RLO}`]: 1, zzz: 2 } } },
    },
    buckets: { total: 4096, differing: 1 },
    byKind,
    byKindAndSide: {},
    differences: 1,
    sample: [
      {
        ...d,
        number: `JY${RLO}1234`,
        holderName: `某\u2066超市\u200b\u0007`,
        holderId: '92370211MA3247D404',
      },
    ],
    all: [d],
  };
}

/** The text a reader sees: tags dropped, character references read. */
function shown(html: string): string {
  return html.replace(/<[^>]+>/g, '|').replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));
}

describe('HTML reconcile report: characters that show as nothing', () => {
  it.each([
    ['zh', ZH],
    ['en', EN],
  ])('names each by its code point and holds none of them (%s)', (_lang, options) => {
    const html = htmlReport(report(), options);
    expect(html).not.toMatch(HIDDEN);
    const text = shown(html);
    expect(text).toContain('JY<U+202E>1234');
    expect(text).toContain('某<U+2066>超市<U+200B><U+0007>');
    expect(text).toContain('K-<U+202E>42');
    expect(text).toContain('lic-1<U+202E>');
    expect(text).toContain('3702<U+202E>11');
    // A platform's status: the counts after it in the cell read as written.
    expect(text).toMatch(/paused<U\+202E> 1(，|, )zzz 2/);
  });
});
