/**
 * File-name order with unpadded numbers: export tools name files `_9`, `_10` or `2026-11-9`,
 * `2026-11-10`. In plain code-unit order the older export sorted last and, without a cursor or
 * on equal cursors, superseded the newer one — a revoked licence read as valid again.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { SourceRow, StreamSpec } from '../../connectors/source.js';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import { compareFileNames } from '../../connectors/xml-files/order.js';
import { RECORD_PATH, tempFolder, writeExport, xmlConfig } from './xml-fixtures.js';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

function folder(): string {
  const f = tempFolder();
  folders.push(f);
  return f;
}

async function rowsOf(dir: string, stream: StreamSpec): Promise<SourceRow[]> {
  const source = openXmlFilesSource('food', xmlConfig(dir));
  const rows: SourceRow[] = [];
  try {
    for await (const page of source.read({ stream, after: null, pageSize: 100 })) rows.push(...page.rows);
  } finally {
    await source.close();
  }
  return rows;
}

const sorted = (names: string[]) => [...names].sort(compareFileNames);

describe('xml-files: file-name order', () => {
  it('orders numbers in names by value', () => {
    expect(sorted(['SPXK_10.xml', 'SPXK_9.xml', 'SPXK_100.xml'])).toEqual([
      'SPXK_9.xml',
      'SPXK_10.xml',
      'SPXK_100.xml',
    ]);
    expect(sorted(['SPXK_2026-11-10.xml', 'SPXK_2026-11-9.xml', 'SPXK_2026-9-30.xml'])).toEqual([
      'SPXK_2026-9-30.xml',
      'SPXK_2026-11-9.xml',
      'SPXK_2026-11-10.xml',
    ]);
  });

  it('keeps the order of padded names, and is total', () => {
    const padded = ['SPXK_20240301.xml', 'SPXK_20240301_01.xml', 'SPXK_20240301_02.xml', 'SPXK_20240302.xml'];
    expect(sorted([...padded].reverse())).toEqual(padded);
    expect(sorted(['a.xml', 'a1.xml', 'A.xml', 'b.xml'])).toEqual(['A.xml', 'a.xml', 'a1.xml', 'b.xml']);
    // Equal by value, told apart by code units: the same order on every machine.
    expect(compareFileNames('X_09.xml', 'X_9.xml')).toBeLessThan(0);
    expect(compareFileNames('X_9.xml', 'X_09.xml')).toBeGreaterThan(0);
    expect(compareFileNames('X_9.xml', 'X_9.xml')).toBe(0);
  });

  it('without a cursor, the export numbered 10 supersedes the one numbered 9', async () => {
    const dir = folder();
    await writeExport(dir, 'SPXK_9.xml', [
      { ID: '1', ZT: '1' },
      { ID: '2', ZT: '1' },
    ]);
    await writeExport(dir, 'SPXK_10.xml', [{ ID: '1', ZT: '0' }]);
    const rows = await rowsOf(dir, { table: RECORD_PATH, key: 'ID' });
    expect(rows.map((r) => [r.key, r.values.ZT])).toEqual([
      ['2', '1'],
      ['1', '0'],
    ]);
  });

  it('on equal cursors (a date-only update time), the later-numbered export of the day wins', async () => {
    const dir = folder();
    await writeExport(dir, 'SPXK_20261105_9.xml', [{ ID: '1', ZT: '1', GXRQ: '2026-11-05' }]);
    await writeExport(dir, 'SPXK_20261105_10.xml', [{ ID: '1', ZT: '0', GXRQ: '2026-11-05' }]);
    const rows = await rowsOf(dir, { table: RECORD_PATH, key: 'ID', cursor: 'GXRQ' });
    expect(rows.map((r) => r.values.ZT)).toEqual(['0']);
  });

  it('without a ledger, a resume after the file numbered 9 reads the one numbered 10', async () => {
    const dir = folder();
    const stream = { table: RECORD_PATH, key: 'ID' };
    await writeExport(dir, 'SPXK_9.xml', [{ ID: '1', ZT: '1' }]);
    const source = openXmlFilesSource('food', xmlConfig(dir));
    try {
      let checkpoint = null;
      for await (const page of source.read({ stream, after: null, pageSize: 100 }))
        checkpoint = page.checkpoint;
      await writeExport(dir, 'SPXK_10.xml', [{ ID: '1', ZT: '0' }]);
      const rows: SourceRow[] = [];
      for await (const page of source.read({ stream, after: checkpoint, pageSize: 100 }))
        rows.push(...page.rows);
      expect(rows.map((r) => r.values.ZT)).toEqual(['0']);
    } finally {
      await source.close();
    }
  });

  it("the ledger takes a later-numbered file's record as newer than one it holds", () => {
    const source = openXmlFilesSource('food', xmlConfig(folder()));
    // The orders kept with licenses (`licenses.source_order`): [cursor, file, index].
    const held = JSON.stringify([null, 'SPXK_9.xml', 0]);
    const arriving = JSON.stringify([null, 'SPXK_10.xml', 0]);
    expect(source.compareOrders(arriving, held)).toBeGreaterThan(0);
    expect(source.compareOrders(held, arriving)).toBeLessThan(0);
  });
});
