/**
 * Date-only cursor values with an offset (xs:date as JAXB writes it, `2026-11-05+08:00`) stand for
 * the day they name, starting at midnight in their offset: they compare with plain dates, dates
 * with other offsets and date-times by that instant. As text, `2026-11-05+08:00` sorted after
 * `2026-11-05 10:00:00` (`+` after the space) and before `2026-11-05Z`, whatever the day.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { SourceRow } from '../../connectors/source.js';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import { compareCursorValues, dateKind } from '../../connectors/xml-files/order.js';
import { RECORD_PATH, tempFolder, writeExport, xmlConfig } from './xml-fixtures.js';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

describe('xml-files: date-only cursor values with an offset', () => {
  it('compare as the day they name, in their offset, against every other form', () => {
    // Midnight in Beijing: the plain date, which is Beijing time too.
    expect(compareCursorValues('2026-11-05+08:00', '2026-11-05')).toBe(0);
    expect(compareCursorValues('2026-11-05+08:00', '2026-11-05 00:00:00')).toBe(0);
    expect(compareCursorValues('2026-11-05+08:00', '2026-11-05 10:00:00')).toBeLessThan(0);
    expect(compareCursorValues('2026-11-05+08:00', '2026-11-04 23:59:59')).toBeGreaterThan(0);
    // Midnight UTC is 08:00 in Beijing.
    expect(compareCursorValues('2026-11-05Z', '2026-11-05 08:00:00')).toBe(0);
    expect(compareCursorValues('2026-11-05Z', '2026-11-05+08:00')).toBeGreaterThan(0);
    expect(compareCursorValues('2026-11-05-05:00', '2026-11-05T13:00:00+08:00')).toBe(0);
    expect(compareCursorValues('2026-11-05+08:00', '2026-11-04T16:00:00Z')).toBe(0);
    // A later day is later, whatever the offsets.
    expect(compareCursorValues('2026-11-12+08:00', '2026-11-05+08:00')).toBeGreaterThan(0);
    expect(compareCursorValues('2026-11-06+08:00', '2026-11-05-05:00')).toBeGreaterThan(0);
    expect(dateKind('2026-11-05+08:00')).toBe('date');
    expect(dateKind('2026-11-05Z')).toBe('date');
  });

  it('a day or an offset that does not exist is no date', () => {
    expect(dateKind('2026-02-30+08:00')).toBeNull();
    expect(dateKind('2026-11-05+99:00')).toBeNull();
    expect(dateKind('2026-11-05+0800')).toBeNull();
  });

  it('a read keeps the later record, written the other way', async () => {
    const dir = tempFolder();
    folders.push(dir);
    // The revocation at 10:00 sits in the earlier-named file, written without an offset.
    await writeExport(dir, 'E001.xml', [{ ID: '1', ZT: '0', GXRQ: '2026-11-05 10:00:00' }]);
    await writeExport(dir, 'E002.xml', [{ ID: '1', ZT: '1', GXRQ: '2026-11-05+08:00' }]);
    const source = openXmlFilesSource('food', xmlConfig(dir));
    const rows: SourceRow[] = [];
    try {
      for await (const page of source.read({
        stream: { table: RECORD_PATH, key: 'ID', cursor: 'GXRQ' },
        after: null,
        pageSize: 10,
      }))
        rows.push(...page.rows);
    } finally {
      await source.close();
    }
    expect(rows.map((r) => [r.key, r.values.ZT])).toEqual([['1', '0']]);
  });
});
