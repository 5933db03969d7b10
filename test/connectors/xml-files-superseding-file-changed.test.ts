/**
 * A file whose records were passed over for newer ones in a later file is recorded as read only
 * once that later file was read as it was when the choice was made. Rewritten in between (the tool
 * wrote the day's export again), the later file may no longer hold those newer records: the
 * passed-over ones are then the latest, and a record saying the earlier file was read kept them
 * from being read again, for good.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { SourceRow } from '../../connectors/source.js';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import type { Checkpoint } from '../../core/checkpoint.js';
import { memoryState, RECORD_PATH, tempFolder, writeExport, xmlConfig } from './xml-fixtures.js';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

const stream = { table: RECORD_PATH, key: 'ID', cursor: 'GXSJ' };

describe('xml-files: a later file rewritten while the read goes on', () => {
  it('the records passed over for it are read again on the next attempt', async () => {
    const dir = tempFolder();
    folders.push(dir);
    await writeExport(dir, 'SPXK_1.xml', [
      { ID: '1', ZT: '1', GXSJ: '2026-11-01 08:00:00' },
      { ID: '2', ZT: '1', GXSJ: '2026-11-01 08:00:00' },
    ]);
    await writeExport(dir, 'SPXK_2.xml', [{ ID: '1', ZT: '0', GXSJ: '2026-11-02 08:00:00' }]);
    const source = openXmlFilesSource('food', xmlConfig(dir), { state: memoryState() });
    const delivered: SourceRow[] = [];
    let checkpoint: Checkpoint | null = null;
    try {
      let rewritten = false;
      const first = async () => {
        for await (const page of source.read({ stream, after: null, pageSize: 1 })) {
          delivered.push(...page.rows);
          checkpoint = page.checkpoint;
          if (!rewritten) {
            // The tool writes SPXK_2.xml again: the change to key 1 was taken back.
            rewritten = true;
            await writeExport(dir, 'SPXK_2.xml', [{ ID: '3', ZT: '1', GXSJ: '2026-11-02 09:00:00' }]);
          }
        }
      };
      // The rewrite is noticed, and the read stops to be tried again.
      await expect(first()).rejects.toMatchObject({ code: 'LB_SOURCE_UNREACHABLE', retryable: true });
      expect(delivered.map((r) => r.key)).toEqual(['2']);
      for await (const page of source.read({ stream, after: checkpoint, pageSize: 1 }))
        delivered.push(...page.rows);
    } finally {
      await source.close();
    }
    // Key 1's latest record is now the one in SPXK_1.xml: it is read, not lost.
    expect(delivered.map((r) => [r.key, r.values.ZT])).toEqual(
      expect.arrayContaining([
        ['1', '1'],
        ['3', '1'],
      ]),
    );
  });
  it('so are those of an earlier file that yielded nothing', async () => {
    const dir = tempFolder();
    folders.push(dir);
    await writeExport(dir, 'SPXK_1.xml', [{ ID: '1', ZT: '1', GXSJ: '2026-11-01 08:00:00' }]);
    await writeExport(dir, 'SPXK_2.xml', [{ ID: '2', ZT: '1', GXSJ: '2026-11-01 08:00:00' }]);
    await writeExport(dir, 'SPXK_3.xml', [{ ID: '1', ZT: '0', GXSJ: '2026-11-03 08:00:00' }]);
    const source = openXmlFilesSource('food', xmlConfig(dir), { state: memoryState() });
    const delivered: SourceRow[] = [];
    let checkpoint: Checkpoint | null = null;
    try {
      const first = async () => {
        for await (const page of source.read({ stream, after: null, pageSize: 1 })) {
          delivered.push(...page.rows);
          checkpoint = page.checkpoint;
          await writeExport(dir, 'SPXK_3.xml', [{ ID: '3', ZT: '1', GXSJ: '2026-11-03 09:00:00' }]);
        }
      };
      await expect(first()).rejects.toMatchObject({ code: 'LB_SOURCE_UNREACHABLE' });
      for await (const page of source.read({ stream, after: checkpoint, pageSize: 1 }))
        delivered.push(...page.rows);
    } finally {
      await source.close();
    }
    expect(delivered.map((r) => [r.key, r.values.ZT])).toEqual([
      ['2', '1'],
      ['1', '1'],
      ['3', '1'],
    ]);
  });

  it('left as it was, every file is recorded and a resume reads nothing again', async () => {
    const dir = tempFolder();
    folders.push(dir);
    await writeExport(dir, 'SPXK_1.xml', [
      { ID: '1', ZT: '1', GXSJ: '2026-11-01 08:00:00' },
      { ID: '2', ZT: '1', GXSJ: '2026-11-01 08:00:00' },
    ]);
    await writeExport(dir, 'SPXK_2.xml', [{ ID: '1', ZT: '0', GXSJ: '2026-11-02 08:00:00' }]);
    const source = openXmlFilesSource('food', xmlConfig(dir), { state: memoryState() });
    try {
      const first: SourceRow[] = [];
      let checkpoint: Checkpoint | null = null;
      for await (const page of source.read({ stream, after: null, pageSize: 1 })) {
        first.push(...page.rows);
        checkpoint = page.checkpoint;
      }
      expect(first.map((r) => [r.key, r.values.ZT])).toEqual([
        ['2', '1'],
        ['1', '0'],
      ]);
      const again: SourceRow[] = [];
      for await (const page of source.read({ stream, after: checkpoint, pageSize: 1 }))
        again.push(...page.rows);
      expect(again).toEqual([]);
    } finally {
      await source.close();
    }
  });
});
