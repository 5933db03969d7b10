/**
 * An element the config names (the stream's key and cursor, the source's `fields`) that no record
 * of an export file carries while the file carries a close match of it: the export renamed it
 * (`<UpdTime>` became `<UpdateTime>`) or the config misspells it. Read as null, every license of
 * that file would be published without it and nobody told; the file is refused, naming the element
 * and the match, and the read does not advance past it. A file where only some records lack the
 * element is read as before. (With nothing like it in the file: xml-files-omitted-elements.test.ts.)
 */
import { rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../config/types.js';
import type { SourceRow, StreamSpec } from '../../connectors/source.js';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import type { Checkpoint } from '../../core/checkpoint.js';
import { memoryState, RECORD_PATH, tempFolder, writeExport, xmlConfig } from './xml-fixtures.js';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

const stream: StreamSpec = { table: RECORD_PATH, key: 'ID', cursor: 'UpdTime' };

function folder(): string {
  const dir = tempFolder();
  folders.push(dir);
  return dir;
}

/** Reads until the end or an error: the rows read, the last checkpoint, and the error. */
async function readAll(
  source: ReturnType<typeof openXmlFilesSource>,
  after: Checkpoint | null,
  spec: StreamSpec = stream,
): Promise<{ rows: SourceRow[]; checkpoint: Checkpoint | null; error: unknown }> {
  const rows: SourceRow[] = [];
  let checkpoint = after;
  try {
    for await (const page of source.read({ stream: spec, after, pageSize: 10 })) {
      rows.push(...page.rows);
      checkpoint = page.checkpoint;
    }
  } catch (error) {
    return { rows, checkpoint, error };
  }
  return { rows, checkpoint, error: null };
}

describe('xml-files: an element the config names, absent from every record of a file', () => {
  it('a renamed cursor element refuses the file, names it and the nearest element, and the read does not advance past it', async () => {
    const dir = folder();
    await writeExport(dir, 'SPXK_1.xml', [{ ID: '1', ZT: '1', UpdTime: '2026-11-01 08:00:00' }]);
    // The export tool's new release names the element differently.
    await writeExport(dir, 'SPXK_2.xml', [
      { ID: '2', ZT: '1', UpdateTime: '2026-11-02 08:00:00' },
      { ID: '3', ZT: '1', UpdateTime: '2026-11-02 09:00:00' },
    ]);
    await writeExport(dir, 'SPXK_3.xml', [{ ID: '4', ZT: '1', UpdateTime: '2026-11-03 08:00:00' }]);
    const source = openXmlFilesSource('food', xmlConfig(dir), { state: memoryState() });
    try {
      const first = await readAll(source, null);
      // The file before it is read; it and the files after it are not.
      expect(first.rows.map((r) => r.key)).toEqual(['1']);
      expect(first.error).toMatchObject({
        code: 'LB_SOURCE_SCHEMA',
        context: { source: 'food', file: 'SPXK_2.xml' },
      });
      const message = (first.error as Error).message;
      expect(message).toContain('file SPXK_2.xml');
      expect(message).toContain('cursor field `UpdTime`');
      expect(message).toContain('did you mean `UpdateTime`');
      // A resume stops at the same file again: nothing was recorded past it.
      const again = await readAll(source, first.checkpoint);
      expect(again.rows).toEqual([]);
      expect(again.error).toMatchObject({ code: 'LB_SOURCE_SCHEMA', context: { file: 'SPXK_2.xml' } });
      // Preview and the key set (a check) say the same.
      await expect(source.fileRows(stream, 'SPXK_2.xml')).rejects.toMatchObject({
        code: 'LB_SOURCE_SCHEMA',
        context: { file: 'SPXK_2.xml' },
      });
      await expect(source.count(stream)).rejects.toMatchObject({ code: 'LB_SOURCE_SCHEMA' });
      // The config follows the rename: the resume reads what was held back, with its cursors.
      const renamed = await readAll(source, again.checkpoint, { ...stream, cursor: 'UpdateTime' });
      expect(renamed.error).toBeNull();
      expect(renamed.rows.map((r) => [r.key, r.values.UpdateTime])).toEqual([
        ['2', '2026-11-02 08:00:00'],
        ['3', '2026-11-02 09:00:00'],
        ['4', '2026-11-03 08:00:00'],
      ]);
    } finally {
      await source.close();
    }
  });

  it('once the export is fixed, the resume reads the held-back files with their values', async () => {
    const dir = folder();
    await writeExport(dir, 'SPXK_1.xml', [{ ID: '1', UpdTime: '2026-11-01 08:00:00' }]);
    await writeExport(dir, 'SPXK_2.xml', [{ ID: '2', UpdateTime: '2026-11-02 08:00:00' }]);
    await writeExport(dir, 'SPXK_3.xml', [{ ID: '3', UpdTime: '2026-11-03 08:00:00' }]);
    const source = openXmlFilesSource('food', xmlConfig(dir), { state: memoryState() });
    try {
      const first = await readAll(source, null);
      expect(first.rows.map((r) => r.key)).toEqual(['1']);
      await writeExport(dir, 'SPXK_2.xml', [{ ID: '2', UpdTime: '2026-11-02 08:00:00' }]);
      const next = await readAll(source, first.checkpoint);
      expect(next.error).toBeNull();
      expect(next.rows.map((r) => [r.key, r.values.UpdTime])).toEqual([
        ['2', '2026-11-02 08:00:00'],
        ['3', '2026-11-03 08:00:00'],
      ]);
    } finally {
      await source.close();
    }
  });

  it('a key, or a declared field the file carries in another case, absent from every record refuses the file too', async () => {
    const dir = folder();
    await writeExport(dir, 'SPXK_1.xml', [{ LicID: '1', UpdTime: '2026-11-01 08:00:00', jymc: '甲' }]);
    const keyless = openXmlFilesSource('food', xmlConfig(dir));
    const declared = openXmlFilesSource('food', xmlConfig(dir, { fields: ['LicID', 'UpdTime', 'JYMC'] }));
    try {
      const key = await readAll(keyless, null, { ...stream, key: 'ID' });
      expect(key.rows).toEqual([]);
      expect((key.error as Error).message).toMatch(/file SPXK_1\.xml: key field `ID` .*not found/);
      const field = await readAll(declared, null, { ...stream, key: 'LicID' });
      expect(field.rows).toEqual([]);
      expect((field.error as Error).message).toMatch(/file SPXK_1\.xml: declared field `JYMC` .*not found/);
    } finally {
      await keyless.close();
      await declared.close();
    }
  });

  it('a file where only some records lack the cursor or key is read, record by record', async () => {
    const dir = folder();
    await writeExport(dir, 'SPXK_1.xml', [
      { ID: '1', UpdTime: '2026-11-01 08:00:00' },
      { ID: '2', UpdTime: null },
      { ID: null, UpdTime: '2026-11-01 09:00:00' },
    ]);
    const source = openXmlFilesSource('food', xmlConfig(dir), { state: memoryState() });
    try {
      const { rows, error } = await readAll(source, null);
      expect(error).toBeNull();
      expect(
        rows.map((r) => [r.key, r.values.UpdTime ?? null, r.problems?.map((p) => p.code) ?? []]),
      ).toEqual([
        ['1', '2026-11-01 08:00:00', []],
        ['2', null, []],
        ['SPXK_1.xml#2', '2026-11-01 09:00:00', ['LB_SOURCE_KEY_MISSING']],
      ]);
    } finally {
      await source.close();
    }
  });

  it('an empty element is carried (null), and an empty export has nothing to lack', async () => {
    const dir = folder();
    // A tool writing NULL as an empty element: the element is there, its value null.
    await writeExport(dir, 'SPXK_1.xml', [{ ID: '1', UpdTime: '' }]);
    await writeExport(dir, 'SPXK_2.xml', []);
    const config: SourceConfig = xmlConfig(dir);
    const source = openXmlFilesSource('food', config, { state: memoryState() });
    try {
      const { rows, error } = await readAll(source, null);
      expect(error).toBeNull();
      expect(rows.map((r) => [r.key, r.values.UpdTime])).toEqual([['1', null]]);
    } finally {
      await source.close();
    }
  });

  it('a cursor no file carries still stops the read, with the closest names', async () => {
    const dir = folder();
    await writeExport(dir, 'SPXK_1.xml', [{ ID: '1', GXSJ: '2026-11-01 08:00:00' }]);
    const source = openXmlFilesSource('food', xmlConfig(dir));
    try {
      const { error } = await readAll(source, null, { ...stream, cursor: 'GXJS' });
      expect(error).toMatchObject({
        code: 'LB_SOURCE_SCHEMA',
        message: expect.stringMatching(/cursor field `GXJS` .*GXSJ/),
      });
    } finally {
      await source.close();
    }
  });
});

describe('xml-files: an empty element with attributes only', () => {
  it('is carried, null, as `<E/>` is: a JAXB export writing nulls as xsi:nil is read', async () => {
    const dir = folder();
    await writeFile(
      join(dir, 'SPXK_1.xml'),
      `<?xml version="1.0" encoding="UTF-8"?>
<Root xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><Records>
  <Record><ID>1</ID><UpdTime xsi:nil="true"/><MC lang="zh"></MC></Record>
  <Record><ID>2</ID><UpdTime xsi:nil="true"/><MC lang="zh">乙</MC></Record>
</Records></Root>
`,
    );
    const source = openXmlFilesSource('food', xmlConfig(dir, { fields: ['ID', 'UpdTime', 'MC'] }));
    try {
      const { rows, error } = await readAll(source, null);
      expect(error).toBeNull();
      expect(rows.map((r) => [r.key, r.values.UpdTime, r.values.MC, r.values['MC.lang']])).toEqual([
        ['1', null, null, 'zh'],
        ['2', null, '乙', 'zh'],
      ]);
    } finally {
      await source.close();
    }
  });
});
