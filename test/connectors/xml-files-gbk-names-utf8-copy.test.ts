/**
 * Upgrading over a folder where a GBK-named export that is valid UTF-8 too (`食品_1.xml` in GBK
 * reads as `ʳƷ_1.xml` in UTF-8) was also copied under its name in UTF-8, as a way round releases
 * that passed it over under a Chinese `pattern`: that pattern now reads both as `食品_1.xml`, and
 * two files of one name would be read as one, so the read stops, naming the file, until one is
 * removed. `*.xml` reads each under its own name, as before.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import { exportXml, RECORD_PATH, tempFolder, xmlConfig } from './xml-fixtures.js';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

const stream = { table: RECORD_PATH, key: 'ID' };

function folderWithCopy(): string {
  const dir = tempFolder();
  folders.push(dir);
  const text = exportXml([{ ID: '1', MC: '甲店' }]);
  writeFileSync(Buffer.concat([Buffer.from(`${dir}/`), iconv.encode('食品_1.xml', 'gbk')]), text);
  writeFileSync(join(dir, '食品_1.xml'), text);
  return dir;
}

/** The error a read of the folder under `pattern` ends with, or null. */
async function readError(dir: string, pattern: string): Promise<unknown> {
  const source = openXmlFilesSource('food', xmlConfig(dir, { pattern }));
  try {
    for await (const _ of source.read({ stream, after: null, pageSize: 1 })) {
      // every page read
    }
    return null;
  } catch (error) {
    return error;
  } finally {
    await source.close();
  }
}

describe('xml-files: a GBK-named export and its copy under the UTF-8 name', () => {
  it('stops the read under a pattern only the GB18030 reading matches, naming the file', async () => {
    const error = await readError(folderWithCopy(), '食品_*.xml');
    expect((error as { code: string }).code).toBe('LB_SOURCE_SCHEMA');
    expect((error as Error).message).toContain('two files named 食品_1.xml');
  });

  it('reads each under its own name with `*.xml`', async () => {
    const dir = folderWithCopy();
    expect(await readError(dir, '*.xml')).toBeNull();
    const source = openXmlFilesSource('food', xmlConfig(dir));
    try {
      expect((await source.fileRows(stream, 'ʳƷ_1.xml')).map((r) => r.key)).toEqual(['1']);
      expect((await source.fileRows(stream, '食品_1.xml')).map((r) => r.key)).toEqual(['1']);
    } finally {
      await source.close();
    }
  });
});
