/**
 * Hidden files in an export folder are no exports: macOS leaves `._<name>` (AppleDouble, binary)
 * beside every file it copies to a share, and copy tools write `.<name>` before renaming it.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { globToRegExp } from '../../connectors/xml-files/files.js';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import { RECORD_PATH, tempFolder, writeExport, xmlConfig } from './xml-fixtures.js';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

async function keysOf(dir: string, pattern?: string): Promise<string[]> {
  const source = openXmlFilesSource('food', xmlConfig(dir, pattern ? { pattern } : {}));
  const keys: string[] = [];
  try {
    for await (const page of source.read({
      stream: { table: RECORD_PATH, key: 'ID' },
      after: null,
      pageSize: 10,
    }))
      keys.push(...page.rows.map((r) => r.key));
  } finally {
    await source.close();
  }
  return keys;
}

describe('xml-files: hidden files', () => {
  it('a macOS `._` file beside an export does not stop the read', async () => {
    const dir = tempFolder();
    folders.push(dir);
    await writeExport(dir, 'SPXK_1.xml', [{ ID: '1' }]);
    // AppleDouble header: magic 0x00051607, version 2, then binary attributes.
    writeFileSync(join(dir, '._SPXK_1.xml'), Buffer.from('0005160700020000000000000000000000000000', 'hex'));
    expect(await keysOf(dir)).toEqual(['1']);
  });

  it('a copy still under its hidden name is not read; renamed, it is', async () => {
    const dir = tempFolder();
    folders.push(dir);
    await writeExport(dir, '.SPXK_2.xml', [{ ID: '2' }]);
    expect(await keysOf(dir)).toEqual([]);
    await writeExport(dir, 'SPXK_2.xml', [{ ID: '2' }]);
    expect(await keysOf(dir)).toEqual(['2']);
  });

  it('a pattern starting with a dot reads hidden files, as asked', async () => {
    expect(globToRegExp('.*.xml').test('.SPXK_2.xml')).toBe(true);
    expect(globToRegExp('*.xml').test('.SPXK_2.xml')).toBe(false);
    expect(globToRegExp('?SPXK.xml').test('.SPXK.xml')).toBe(false);
    expect(globToRegExp('*.xml').test('SPXK.XML')).toBe(true);
  });
});
