/**
 * The light check names the stand-in keys no row gives any more, for a person to look up and close
 * (`licbridge quarantine resolve`): sorted, the first STAND_INS_LISTED of them, beside the count of
 * all. Stand-ins are a key column's name and a hash of the row, or an export file's name and a
 * record's index (connectors/sql/row-keys.ts, connectors/xml-files/record-rows.ts), never a value
 * of the row. Only keys holding LB_SOURCE_KEY_MISSING are counted. The shown reports (text, HTML,
 * `reconcile --json`) mask an export file's name by shape, as every other shown key; the stored
 * report keeps it whole.
 */
import { describe, expect, it } from 'vitest';
import { publicJson } from '../../cli/commands/reconcile.js';
import type { OpenQuarantineEntry } from '../../ledger/quarantine-queries.js';
import { htmlReport } from '../../pipelines/reconcile/html-report.js';
import { reconcileSettings, reportOptions } from '../../pipelines/reconcile/settings.js';
import { STAND_INS_LISTED, standInsNotSeen } from '../../pipelines/reconcile/stand-ins-gone.js';
import { SourceKeySet } from '../../pipelines/reconcile/stored-key.js';
import { textReport } from '../../pipelines/reconcile/text-report.js';
import { DIFFERENCE_KINDS, type ReconcileReport } from '../../pipelines/reconcile/types.js';

const entry = (sourceKey: string, code = 'LB_SOURCE_KEY_MISSING') =>
  ({ sourceKey, reasons: [{ code, message: 'm' }] }) as unknown as OpenQuarantineEntry;

describe('stand-ins not seen', () => {
  const sourceKeys = new SourceKeySet();
  sourceKeys.add('JY1');
  sourceKeys.add('XKZBH:missing#0000000000000001');
  const gone = Array.from(
    { length: STAND_INS_LISTED + 50 },
    (_, i) => `XKZBH:missing#${(i + 2).toString(16).padStart(16, '0')}`,
  ).reverse();
  const open = [
    ...gone.map((k) => entry(k)),
    entry('XKZBH:missing#0000000000000001'),
    // A key deleted at the source while quarantined for another reason: not a stand-in.
    entry('JY2', 'LB_MAP_DATE'),
  ];
  const ledger = { openQuarantine: async () => open };
  const quarantinedKeys = open.map((e) => e.sourceKey);

  it('counts them all and lists the first, sorted', async () => {
    const r = await standInsNotSeen(ledger, { pipeline: 'p', quarantinedKeys, sourceKeys, whole: true });
    expect(r.count).toBe(STAND_INS_LISTED + 50);
    expect(r.keys).toEqual([...gone].sort().slice(0, STAND_INS_LISTED));
  });

  it('counts none on a key set not known whole', async () => {
    const r = await standInsNotSeen(ledger, { pipeline: 'p', quarantinedKeys, sourceKeys, whole: false });
    expect(r).toEqual({ count: 0, keys: [] });
  });
});

describe('stand-ins not seen, as the reports show them', () => {
  const EN = { ...reportOptions(reconcileSettings({ config: {} })), lang: 'en' as const };
  // An export tool naming its files by a person's ID number; one name holding a newline.
  const FILE_KEY = '110105_19491231_002X.xml#2';
  const NEWLINE_KEY = 'a\n  ledger: 0 licenses.xml#1';
  const SQL_KEY = 'XKZBH:missing#0123456789abcdef';
  const keys = [FILE_KEY, NEWLINE_KEY, SQL_KEY];
  const report: ReconcileReport = {
    reportId: 'r1',
    pipeline: 'food',
    mode: 'light',
    licenseType: '11370200MB12345674001',
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:05.000Z',
    counts: {
      source: { total: 1, byStatus: {}, byArea: {}, quarantined: 3, standInsNotSeen: 3 },
      ledger: { total: 1, byStatus: { valid: 1 }, byArea: {} },
      targets: {},
    },
    buckets: { total: 0, differing: 0 },
    byKind: Object.fromEntries(DIFFERENCE_KINDS.map((k) => [k, 0])) as ReconcileReport['byKind'],
    byKindAndSide: {},
    differences: 0,
    sample: [],
    all: [],
    standInsNotSeen: keys,
  };
  const MASKED = '1101**_********_002X.xml#2';

  it('masks a file’s name by shape in the text, HTML and JSON, keeps a SQL stand-in whole', () => {
    const text = textReport(report, EN);
    const html = htmlReport(report, EN);
    const json = JSON.stringify(publicJson(report));
    for (const out of [text, html, json]) {
      expect(out).toContain(MASKED);
      expect(out).not.toContain('19491231');
      expect(out).toContain(SQL_KEY);
    }
    expect(publicJson(report).standInsNotSeen).toEqual([MASKED, NEWLINE_KEY, SQL_KEY]);
  });

  it('prints each key of the text on the line of the list', () => {
    const line = textReport(report, EN)
      .split('\n')
      .find((l) => l.includes('stand-in keys not seen:'));
    expect(line).toContain('a ledger: 0 licenses.xml#1');
    expect(textReport(report, EN)).not.toMatch(/^ {2}ledger: 0 licenses\.xml/m);
  });

  it('keeps the report’s keys whole (the stored report)', () => {
    textReport(report, EN);
    publicJson(report);
    expect(report.standInsNotSeen).toEqual(keys);
  });
});
