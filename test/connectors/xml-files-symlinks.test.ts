/**
 * Export files reached through symbolic links — a folder of links into an archive or a mounted
 * share — are export files like any other: skipping them left their records unread, without a word.
 */
import { mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import { RECORD_PATH, tempFolder, writeExport, xmlConfig } from './xml-fixtures.js';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

async function keysOf(dir: string): Promise<string[]> {
  const source = openXmlFilesSource('food', xmlConfig(dir));
  const keys: string[] = [];
  for await (const page of source.read({
    stream: { table: RECORD_PATH, key: 'ID' },
    after: null,
    pageSize: 10,
  }))
    keys.push(...page.rows.map((r) => r.key));
  await source.close();
  return keys;
}

describe('xml-files: export files that are symbolic links', () => {
  it('reads a linked export file, and counts its keys', async () => {
    const root = tempFolder();
    folders.push(root);
    const archive = join(root, 'archive');
    const dir = join(root, 'exports');
    mkdirSync(archive);
    mkdirSync(dir);
    await writeExport(dir, 'E001.xml', [{ ID: '1' }]);
    await writeExport(archive, 'E002.xml', [{ ID: '2' }]);
    symlinkSync(join(archive, 'E002.xml'), join(dir, 'E002.xml'));
    expect(await keysOf(dir)).toEqual(['1', '2']);
    const source = openXmlFilesSource('food', xmlConfig(dir));
    expect(await source.count({ table: RECORD_PATH, key: 'ID' })).toBe(2);
    await source.close();
  });

  // A dangling link stops the read: xml-files-unreachable-links.test.ts.
  it('still reads no folder, linked or not', async () => {
    const root = tempFolder();
    folders.push(root);
    const dir = join(root, 'exports');
    mkdirSync(dir);
    mkdirSync(join(root, 'sub.xml'));
    await writeExport(join(root, 'sub.xml'), 'E009.xml', [{ ID: '9' }]);
    symlinkSync(join(root, 'sub.xml'), join(dir, 'linked.xml'));
    await writeExport(dir, 'E001.xml', [{ ID: '1' }]);
    expect(await keysOf(dir)).toEqual(['1']);
  });
});
