/**
 * Update times written as xs:dateTime with an offset (`2026-11-05T09:05:00.000+08:00`, as JAXB and
 * .NET DataSet.WriteXml write them) order by instant, also against the plain `2026-11-05 10:00:00`
 * of an older export: as text, the `T` sorted after the space whatever the hour, so the older
 * record of a key won and, say, a revocation was lost.
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

describe('xml-files: cursor date-times with an offset', () => {
  it('order by instant, a time without an offset being Beijing time', () => {
    expect(compareCursorValues('2026-11-05T09:05:00+08:00', '2026-11-05 10:00:00')).toBeLessThan(0);
    expect(compareCursorValues('2026-11-05T09:05:00.000+08:00', '2026-11-05 09:05:00')).toBe(0);
    expect(compareCursorValues('2026-11-05T01:30:00Z', '2026-11-05 09:00:00')).toBeGreaterThan(0);
    expect(compareCursorValues('2026-11-05T02:00:00+0800', '2026-11-04T19:00:00Z')).toBeLessThan(0);
    expect(compareCursorValues('2026-11-05T00:30:00+08:00', '2026-11-04 23:59:59')).toBeGreaterThan(0);
    expect(compareCursorValues('2026-11-05T09:05:00.5+08:00', '2026-11-05T09:05:00+08:00')).toBeGreaterThan(
      0,
    );
    // Without offsets, as before.
    expect(compareCursorValues('2026-11-05 9:05', '2026-11-05 10:00')).toBeLessThan(0);
    expect(compareCursorValues('2026-11-05', '2026-11-05 00:00:00')).toBe(0);
  });

  it('a read keeps the newest record of a key across the two ways of writing it', async () => {
    const dir = tempFolder();
    folders.push(dir);
    // The revocation at 10:00 sits in the earlier-named file, written the old way.
    await writeExport(dir, 'E001.xml', [{ ID: '1', ZT: '0', GXSJ: '2026-11-05 10:00:00' }]);
    await writeExport(dir, 'E002.xml', [{ ID: '1', ZT: '1', GXSJ: '2026-11-05T09:05:00.000+08:00' }]);
    const source = openXmlFilesSource('food', xmlConfig(dir));
    const rows: SourceRow[] = [];
    try {
      for await (const page of source.read({
        stream: { table: RECORD_PATH, key: 'ID', cursor: 'GXSJ' },
        after: null,
        pageSize: 10,
      }))
        rows.push(...page.rows);
    } finally {
      await source.close();
    }
    expect(rows.map((r) => [r.key, r.values.ZT])).toEqual([['1', '0']]);
  });

  it('text naming a day or time that does not exist is no instant, and is not carried into a later day', async () => {
    // As instants, 99:00 became four days later and 02-30 the 2nd of March.
    expect(compareCursorValues('2026-11-05 99:00', '2026-11-06 10:00:00')).toBeLessThan(0);
    expect(compareCursorValues('2026-02-30', '2026-03-01 10:00')).toBeLessThan(0);
    expect(dateKind('2026-11-05T09:05:00+99:99')).toBeNull();
    expect(compareCursorValues('2026-02-29', '2028-02-29')).toBeLessThan(0);
    expect(dateKind('2026-02-30')).toBeNull();
    expect(dateKind('2026-11-05 24:30')).toBeNull();
    expect(dateKind('2028-02-29 23:59:59')).toBe('datetime');
    const dir = tempFolder();
    folders.push(dir);
    // The revocation of the 6th, and a record of the 5th whose tool wrote an hour out of range.
    await writeExport(dir, 'E001.xml', [{ ID: '1', ZT: '0', GXSJ: '2026-11-06 10:00:00' }]);
    await writeExport(dir, 'E002.xml', [{ ID: '1', ZT: '1', GXSJ: '2026-11-05 99:00' }]);
    const source = openXmlFilesSource('food', xmlConfig(dir));
    const rows: SourceRow[] = [];
    try {
      for await (const page of source.read({
        stream: { table: RECORD_PATH, key: 'ID', cursor: 'GXSJ' },
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
