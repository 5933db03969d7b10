/**
 * Update times written the Chinese way (`2026年11月5日`, the long date of zh-CN desktop tools)
 * order by date, not as text: as text `2026年11月5日` sorts after `2026年11月12日`, so the record of
 * the 5th would be taken as a key's latest and a revocation of the 12th would be lost.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { SourceRow } from '../../connectors/source.js';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import { compareCursorValues } from '../../connectors/xml-files/order.js';
import { RECORD_PATH, tempFolder, writeExport, xmlConfig } from './xml-fixtures.js';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

describe('xml-files: cursor dates written with 年月日', () => {
  it('orders them by date and time', () => {
    expect(compareCursorValues('2026年11月5日', '2026年11月12日')).toBeLessThan(0);
    expect(compareCursorValues('2026年9月30日', '2026年10月1日')).toBeLessThan(0);
    expect(compareCursorValues('2026年11月5日 9:05', '2026年11月5日 10:00:00')).toBeLessThan(0);
    expect(compareCursorValues('2026年11月05日', '2026-11-05')).toBe(0);
    expect(compareCursorValues('2026年11月5日 10:00', '2026/11/5 9:59:59')).toBeGreaterThan(0);
  });

  it('a read keeps the newest record of a key, the later date winning', async () => {
    const dir = tempFolder();
    folders.push(dir);
    await writeExport(dir, 'E001.xml', [{ ID: '1', ZT: '7', GXSJ: '2026年11月12日 08:00:00' }]);
    await writeExport(dir, 'E002.xml', [{ ID: '1', ZT: '1', GXSJ: '2026年11月5日 08:00:00' }]);
    const source = openXmlFilesSource('food', xmlConfig(dir));
    const rows: SourceRow[] = [];
    for await (const page of source.read({
      stream: { table: RECORD_PATH, key: 'ID', cursor: 'GXSJ' },
      after: null,
      pageSize: 10,
    }))
      rows.push(...page.rows);
    await source.close();
    expect(rows.map((r) => [r.key, r.values.ZT])).toEqual([['1', '7']]);
  });
});
