/**
 * The order kept with a license (`licenses.source_order`) decides whether a record read later is
 * older than the one the license was read from. A file rewritten under its name (the day's export
 * written again) may hold a key's changed record at a lower index than before: it is the newer
 * content, and must not be taken for an older record of the key and counted superseded.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { StreamSpec } from '../../connectors/source.js';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import { RECORD_PATH, tempFolder, writeExport, xmlConfig } from './xml-fixtures.js';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

async function ordersOf(
  source: ReturnType<typeof openXmlFilesSource>,
  stream: StreamSpec,
): Promise<Map<string, string>> {
  const orders = new Map<string, string>();
  for await (const page of source.read({ stream, after: null, pageSize: 10 }))
    for (const [key, order] of page.orders ?? new Map<string, string>()) orders.set(key, order);
  return orders;
}

describe('xml-files: the order of a record in a file rewritten under its name', () => {
  for (const stream of [
    { table: RECORD_PATH, key: 'ID' },
    // A date-only update time: both records of the day tie on it.
    { table: RECORD_PATH, key: 'ID', cursor: 'GXSJ' },
  ] as StreamSpec[]) {
    it(`is not older than the record of the earlier content (${stream.cursor ? 'equal cursors' : 'no cursor'})`, async () => {
      const dir = tempFolder();
      folders.push(dir);
      const source = openXmlFilesSource('food', xmlConfig(dir));
      try {
        await writeExport(dir, 'SPXK_20261105.xml', [
          { ID: '1', ZT: '1', GXSJ: '2026-11-05' },
          { ID: '2', ZT: '1', GXSJ: '2026-11-05' },
        ]);
        const before = (await ordersOf(source, stream)).get('2') as string;
        // Written again the same day: record 1 left out, licence 2 revoked, now at index 0.
        await writeExport(dir, 'SPXK_20261105.xml', [{ ID: '2', ZT: '0', GXSJ: '2026-11-05' }]);
        const after = (await ordersOf(source, stream)).get('2') as string;
        // The ledger counts a record superseded when its order compares below the stored one.
        expect(source.compareOrders(after, before)).toBeGreaterThanOrEqual(0);
        // Within one content, the later record of a key still wins over the earlier.
        await writeExport(dir, 'SPXK_20261105.xml', [
          { ID: '2', ZT: '1', GXSJ: '2026-11-05' },
          { ID: '2', ZT: '0', GXSJ: '2026-11-05' },
        ]);
        const rows: string[] = [];
        for await (const page of source.read({ stream, after: null, pageSize: 10 }))
          rows.push(...page.rows.map((r) => `${r.key}:${r.values.ZT}`));
        expect(rows).toEqual(['2:0']);
      } finally {
        await source.close();
      }
    });
  }

  it('orders stored before the SHA-256 was kept compare by index among themselves only', async () => {
    const dir = tempFolder();
    folders.push(dir);
    const source = openXmlFilesSource('food', xmlConfig(dir));
    try {
      expect(source.compareOrders('[null,"A.xml",2]', '[null,"A.xml",5]')).toBeLessThan(0);
      // Against an order of this release, the stored index may point into other content: a tie.
      expect(source.compareOrders(`[null,"A.xml",2,"${'a'.repeat(64)}"]`, '[null,"A.xml",5]')).toBe(0);
      // Other files still order as before.
      expect(source.compareOrders(`[null,"A.xml",9,"${'a'.repeat(64)}"]`, '[null,"B.xml",0]')).toBeLessThan(
        0,
      );
    } finally {
      await source.close();
    }
  });

  it('a licence read before the upgrade is not superseded by the rewritten file of the same name', async () => {
    const dir = tempFolder();
    folders.push(dir);
    const stream: StreamSpec = { table: RECORD_PATH, key: 'ID' };
    const source = openXmlFilesSource('food', xmlConfig(dir));
    try {
      await writeExport(dir, 'SPXK_20261105.xml', [
        { ID: '1', ZT: '1' },
        { ID: '2', ZT: '1' },
      ]);
      // As an earlier release stored it: [cursor, file, index], no SHA-256.
      const stored = JSON.stringify(
        JSON.parse((await ordersOf(source, stream)).get('2') as string).slice(0, 3),
      );
      expect(stored).toBe('[null,"SPXK_20261105.xml",1]');
      // Written again after the upgrade: record 1 left out, licence 2 revoked, now at index 0.
      await writeExport(dir, 'SPXK_20261105.xml', [{ ID: '2', ZT: '0' }]);
      const after = (await ordersOf(source, stream)).get('2') as string;
      // The ledger counts a record superseded when its order compares below the stored one.
      expect(source.compareOrders(after, stored)).toBeGreaterThanOrEqual(0);
    } finally {
      await source.close();
    }
  });
});
