/**
 * Export files whose names are GBK bytes, as a Chinese Windows export tool names them on a share
 * mounted without name conversion, or as `unzip` leaves a zip made on Windows: the folder lists
 * such a name as bytes that are not UTF-8. Node read it with replacement characters, no file has
 * that name, and opening it failed as for a file deleted since the listing: the export was passed
 * over on every run without a word. A name that is not UTF-8 is read as GB18030 when its bytes are
 * that; one that is neither stops the read, naming the folder.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import type { Checkpoint, SourceRow } from '../../connectors/source.js';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import { isLicbridgeError } from '../../core/errors.js';
import { exportXml, memoryState, RECORD_PATH, tempFolder, xmlConfig } from './xml-fixtures.js';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

const stream = { table: RECORD_PATH, key: 'ID' };

/** Writes a file whose name is the given bytes. */
function writeNamed(dir: string, name: Buffer, text: string): void {
  writeFileSync(Buffer.concat([Buffer.from(`${dir}/`), name]), text);
}

async function read(
  source: ReturnType<typeof openXmlFilesSource>,
  after: Checkpoint | null = null,
): Promise<{ rows: SourceRow[]; checkpoint: Checkpoint | null; error: unknown }> {
  const rows: SourceRow[] = [];
  let checkpoint: Checkpoint | null = null;
  let error: unknown = null;
  try {
    for await (const page of source.read({ stream, after, pageSize: 1 })) {
      rows.push(...page.rows);
      checkpoint = page.checkpoint;
    }
  } catch (e) {
    error = e;
  }
  return { rows, checkpoint, error };
}

describe('xml-files: file names that are not UTF-8', () => {
  it('reads a file named in GBK, once, by its name read as GB18030', async () => {
    const dir = tempFolder();
    folders.push(dir);
    writeNamed(dir, iconv.encode('食品经营许可_20261105.xml', 'gbk'), exportXml([{ ID: '1', MC: '甲店' }]));
    writeFileSync(join(dir, '食品经营许可_20261106.xml'), exportXml([{ ID: '2', MC: '乙店' }]));
    const source = openXmlFilesSource('food', xmlConfig(dir), { state: memoryState() });
    try {
      const first = await read(source);
      expect(first.error).toBeNull();
      expect(first.rows.map((r) => [r.key, r.values.MC])).toEqual([
        ['1', '甲店'],
        ['2', '乙店'],
      ]);
      // Recorded under that name: a resumed read passes both over.
      expect((await read(source, first.checkpoint)).rows).toEqual([]);
      expect(await source.count(stream)).toBe(2);
      const preview = await source.fileRows(stream, '食品经营许可_20261105.xml');
      expect(preview.map((r) => r.key)).toEqual(['1']);
    } finally {
      await source.close();
    }
  });

  it('stops at one name in UTF-8 and the same in GBK, which would be read as one file', async () => {
    const dir = tempFolder();
    folders.push(dir);
    writeNamed(dir, iconv.encode('食品经营许可_1.xml', 'gbk'), exportXml([{ ID: '1' }]));
    writeFileSync(join(dir, '食品经营许可_1.xml'), exportXml([{ ID: '2' }]));
    const source = openXmlFilesSource('food', xmlConfig(dir));
    try {
      const { rows, error } = await read(source);
      expect(rows).toEqual([]);
      expect((error as { code: string }).code).toBe('LB_SOURCE_SCHEMA');
      expect((error as Error).message).toContain('食品经营许可_1.xml');
    } finally {
      await source.close();
    }
  });

  it('stops at a name that is neither UTF-8 nor GB18030, naming the folder', async () => {
    const dir = tempFolder();
    folders.push(dir);
    writeNamed(dir, Buffer.from([0x41, 0xff, 0xff, 0x2e, 0x78, 0x6d, 0x6c]), exportXml([{ ID: '1' }]));
    const source = openXmlFilesSource('food', xmlConfig(dir));
    try {
      const { rows, error } = await read(source);
      expect(rows).toEqual([]);
      expect(isLicbridgeError(error), 'a LicbridgeError').toBe(true);
      expect((error as { code: string }).code).toBe('LB_SOURCE_SCHEMA');
      expect((error as Error).message).toContain(dir);
    } finally {
      await source.close();
    }
  });
});
