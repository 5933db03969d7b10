/**
 * Update times written compact, as legacy schemas keep them in CHAR(8) and CHAR(14) columns
 * (`20261105`, `20261105093000`), against the same times written with separators
 * (`2026-11-05 09:30:00`), as an export tool's next release writes them: compared as text, every
 * compact value sorted after every separated one (`1` after `-`), so after such an upgrade each
 * key's new records were taken for older than the ones the ledger held, counted unchanged and
 * never became versions. A compact value that is a real day and time now compares by instant with
 * a date written otherwise; two compact values still compare as numbers.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { Page, StreamSpec } from '../../connectors/source.js';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import { compareCursorValues } from '../../connectors/xml-files/order.js';
import { RECORD_PATH, tempFolder, writeExport, xmlConfig } from './xml-fixtures.js';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

const STREAM: StreamSpec = { table: RECORD_PATH, key: 'ID', cursor: 'GXSJ' };

async function pages(dir: string): Promise<Page[]> {
  const source = openXmlFilesSource('food', xmlConfig(dir));
  const out: Page[] = [];
  try {
    for await (const page of source.read({ stream: STREAM, after: null, pageSize: 10, record: false }))
      out.push(page);
  } finally {
    await source.close();
  }
  return out;
}

describe('xml-files: compact update times against ones written with separators', () => {
  it('compares them by instant', () => {
    expect(compareCursorValues('20261105093000', '2026-11-06 08:00:00')).toBeLessThan(0);
    expect(compareCursorValues('2026-11-06 08:00:00', '20261105093000')).toBeGreaterThan(0);
    expect(compareCursorValues('20261105093000', '2026-11-05 09:30:00')).toBe(0);
    expect(compareCursorValues('20261105093000', '2026-11-05T01:30:00Z')).toBe(0);
    expect(compareCursorValues('202611050930', '2026/11/5 9:31')).toBeLessThan(0);
    expect(compareCursorValues('20261105', '2026-11-05')).toBe(0);
    expect(compareCursorValues('20261105', '2026年11月4日')).toBeGreaterThan(0);
    expect(compareCursorValues('20261105093000.5', '2026-11-05 09:30:00.49')).toBeGreaterThan(0);
  });

  it('leaves numbers that are no day and time, and two compact values, as they compared', () => {
    expect(compareCursorValues('20261341', '2026-11-05')).toBeGreaterThan(0);
    expect(compareCursorValues('9', '10')).toBeLessThan(0);
    expect(compareCursorValues('20261105093000', '20261105093001')).toBeLessThan(0);
  });

  it('after an export tool writes its times with separators, its new records supersede the old', async () => {
    const dir = tempFolder();
    folders.push(dir);
    await writeExport(dir, 'E001.xml', [{ ID: '1', ZT: '1', GXSJ: '20261105093000' }]);
    const [before] = await pages(dir);
    await writeExport(dir, 'E002.xml', [{ ID: '1', ZT: '0', GXSJ: '2026-11-06 08:00:00' }]);
    const after = await pages(dir);
    // Within one read, the newer record is the key's latest.
    expect(after.flatMap((p) => p.rows.map((r) => [r.key, r.values.ZT]))).toEqual([['1', '0']]);
    // Across reads, the ledger compares the order it stored with the new one (ledger/commit-page.ts).
    const source = openXmlFilesSource('food', xmlConfig(dir));
    const stored = before?.orders?.get('1') as string;
    const read = after.at(-1)?.orders?.get('1') as string;
    expect(source.compareOrders(read, stored)).toBeGreaterThan(0);
    await source.close();
  });

  // As numbers, every 14-digit value came after every 8-digit one: beside the comparison by
  // instant with separated values, three values of one key could each beat the next in a ring, and
  // which record a read kept depended on the order it met them.
  it('compares compact values of two widths by instant, in one order with separated ones', () => {
    expect(compareCursorValues('20261106', '20261105093000')).toBeGreaterThan(0);
    expect(compareCursorValues('20251105093000', '20261105')).toBeLessThan(0);
    expect(compareCursorValues('202611041200', '20261105')).toBeLessThan(0);
    expect(compareCursorValues('20261105', '20261105000000.5')).toBeLessThan(0);
    const values = ['20261105', '202611041200', '2026-11-04 18:00', '20261104120000.5', '2026/11/4'];
    const sorted = [...values].sort(compareCursorValues);
    for (const [i, a] of sorted.entries())
      for (const b of sorted.slice(i + 1))
        expect(compareCursorValues(a, b), `${a} ${b}`).toBeLessThanOrEqual(0);
    expect(sorted).toEqual(['2026/11/4', '202611041200', '20261104120000.5', '2026-11-04 18:00', '20261105']);
  });

  it('still compares numbers of two widths that are no day and time as numbers', () => {
    expect(compareCursorValues('20261341', '202611050930')).toBeLessThan(0);
    expect(compareCursorValues('99991231', '1000')).toBeGreaterThan(0);
  });
});
