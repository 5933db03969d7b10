/**
 * Export tools that leave out null elements (JAXB by default) write a small export whose records
 * all have no update time without the element at all. Absent is null: such a file is read, and
 * only a key or cursor no file carries (a misspelt name) stops the read.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { SourceRow } from '../../connectors/source.js';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import type { Checkpoint } from '../../core/checkpoint.js';
import { RECORD_PATH, tempFolder, writeExport, xmlConfig } from './xml-fixtures.js';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

function memoryState() {
  const entries = new Map<string, string>();
  return {
    async stateEntries(source: string, scope: string) {
      const prefix = `${source}\u0000${scope}\u0000`;
      return [...entries]
        .filter(([k]) => k.startsWith(prefix))
        .map(([k, value]) => ({ key: k.slice(prefix.length), value }));
    },
    async putStateEntry(source: string, scope: string, key: string, value: string) {
      entries.set(`${source}\u0000${scope}\u0000${key}`, value);
    },
  };
}

const stream = { table: RECORD_PATH, key: 'ID', cursor: 'GXSJ' };

describe('xml-files: a key or cursor absent from every record of a file', () => {
  it('a file without the cursor element is read, first time and on a resume', async () => {
    const dir = tempFolder();
    folders.push(dir);
    await writeExport(dir, 'SPXK_1.xml', [{ ID: '1', ZT: '1', GXSJ: '2026-11-01 08:00:00' }]);
    await writeExport(dir, 'SPXK_2.xml', [{ ID: '2', ZT: '1', GXSJ: null }]);
    const source = openXmlFilesSource('food', xmlConfig(dir), { state: memoryState() });
    try {
      const rows: SourceRow[] = [];
      let checkpoint: Checkpoint | null = null;
      for await (const page of source.read({ stream, after: null, pageSize: 10 })) {
        rows.push(...page.rows);
        checkpoint = page.checkpoint;
      }
      expect(rows.map((r) => [r.key, r.values.GXSJ ?? null])).toEqual([
        ['1', '2026-11-01 08:00:00'],
        ['2', null],
      ]);
      // The next day's export, the only file a resume reads, has no update time either.
      await writeExport(dir, 'SPXK_3.xml', [{ ID: '3', ZT: '1', GXSJ: null }]);
      const next: SourceRow[] = [];
      for await (const page of source.read({ stream, after: checkpoint, pageSize: 10 }))
        next.push(...page.rows);
      expect(next.map((r) => r.key)).toEqual(['3']);
      expect(next[0]?.problems).toBeUndefined();
      // Previewing that file alone works too.
      expect((await source.fileRows(stream, 'SPXK_3.xml')).map((r) => r.key)).toEqual(['3']);
    } finally {
      await source.close();
    }
  });

  it('a cursor no file carries still stops the read, with the closest names', async () => {
    const dir = tempFolder();
    folders.push(dir);
    await writeExport(dir, 'SPXK_1.xml', [{ ID: '1', GXSJ: '2026-11-01 08:00:00' }]);
    await writeExport(dir, 'SPXK_2.xml', [{ ID: '2' }]);
    const source = openXmlFilesSource('food', xmlConfig(dir));
    try {
      const read = async () => {
        for await (const _ of source.read({
          stream: { ...stream, cursor: 'GXJS' },
          after: null,
          pageSize: 10,
        })) {
          // nothing
        }
      };
      await expect(read()).rejects.toMatchObject({
        code: 'LB_SOURCE_SCHEMA',
        message: expect.stringMatching(/cursor field `GXJS` not found.*GXSJ/),
      });
      await expect(source.count({ ...stream, cursor: 'GXJS' })).rejects.toMatchObject({
        code: 'LB_SOURCE_SCHEMA',
      });
    } finally {
      await source.close();
    }
  });
});
