/**
 * The shared conformance suite on the xml-files connector, against real files in a temp folder.
 *
 * The fixture plays the legacy export tool: each `insert` writes one new export file whose records
 * are ordered by (cursor, key) with NULL cursors first — what `ORDER BY GXSJ, ID` in the export
 * query gives — and each `update` writes a new delta file holding the changed record, as a
 * change in the legacy system shows up in the next export. The connector reads files in name
 * order and records in document order; the suite's order and resume checks hold on that.
 */
import { rmSync } from 'node:fs';
import { openSource } from '../../connectors/open-source.js';
import { runConformance } from './conformance.js';
import { type ExportRecord, tempFolder, writeExport, xmlConfig } from './xml-fixtures.js';

const byCursorThenKey = (a: ExportRecord, b: ExportRecord): number => {
  const ca = a.GXSJ ?? null;
  const cb = b.GXSJ ?? null;
  if (ca !== cb) {
    if (ca === null) return -1;
    if (cb === null) return 1;
    return ca < cb ? -1 : 1;
  }
  return Number(a.ID) - Number(b.ID);
};

runConformance('xml-files', async () => {
  const folder = tempFolder();
  // Declared fields: a stream naming a wrong key or cursor fails even before the first export.
  const connector = await openSource('conformance', xmlConfig(folder, { fields: ['ID', 'GXSJ', 'MC'] }));
  const current = new Map<number, ExportRecord>();
  let sequence = 0;
  const nextName = () => `SPXK_${String(++sequence).padStart(4, '0')}.xml`;
  return {
    connector,
    stream: { table: 'Root/Records/Record', key: 'ID', cursor: 'GXSJ' },
    nameColumn: 'MC',
    async insert(rows) {
      const records = rows.map((r) => ({ ID: String(r.id), GXSJ: r.cursor, MC: r.name.padEnd(10, ' ') }));
      for (const r of records) current.set(Number(r.ID), r);
      await writeExport(folder, nextName(), [...records].sort(byCursorThenKey));
    },
    async update(id, change) {
      const before = current.get(id);
      if (!before) throw new Error(`fixture: no row ${id}`);
      const after = { ...before, GXSJ: change.cursor, MC: (change.name ?? before.MC ?? '').padEnd(10, ' ') };
      current.set(id, after);
      await writeExport(folder, nextName(), [after]);
    },
    async dispose() {
      await connector.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
});
