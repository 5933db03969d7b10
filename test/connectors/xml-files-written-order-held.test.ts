/**
 * The written-order check holds one entry per key it compares. A run resuming on a big folder
 * reads the new exports only; the files skipped as read before are parsed for the check, but a key
 * no file read holds ties no record of a file read: only the keys of the files read are held, so
 * a run reading one new export of a folder of a million keys holds that export's keys.
 */
import { rmSync } from 'node:fs';
import { utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExportFolder } from '../../connectors/xml-files/export-folder.js';
import { type WrittenFile, WrittenOrderCheck } from '../../connectors/xml-files/written-order.js';
import { RECORD_PATH, tempFolder, writeExport } from './xml-fixtures.js';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

const T1 = new Date('2026-11-01T08:00:00.000Z');
const T2 = new Date('2026-11-02T08:00:00.000Z');
const T3 = new Date('2026-11-03T08:00:00.000Z');
const STREAM = { table: RECORD_PATH, key: 'ID' };

/** An old export of 300 keys, read by an earlier run, and a new one of key 7 named after it though written before it. */
async function folderWithNewExport(): Promise<ExportFolder> {
  const dir = tempFolder();
  folders.push(dir);
  const old = Array.from({ length: 300 }, (_, i) => ({ ID: String(i + 1), MC: '新' }));
  await writeExport(dir, 'SPXK_1.xml', old);
  await utimes(join(dir, 'SPXK_1.xml'), T2, T2);
  await writeExport(dir, 'SPXK_2.xml', [{ ID: '7', MC: '旧' }]);
  await utimes(join(dir, 'SPXK_2.xml'), T1, T1);
  return new ExportFolder(
    'food',
    {
      folder: dir,
      pattern: '*.xml',
      recordPath: RECORD_PATH,
      encoding: 'auto',
      maxFileBytes: 1 << 20,
      trim: 'all',
    },
    () => {},
  );
}

const written: WrittenFile[] = [
  { name: 'SPXK_1.xml', mtimeMs: T2.getTime() },
  { name: 'SPXK_2.xml', mtimeMs: T1.getTime() },
];
const read = new Set(['SPXK_2.xml']);

describe('xml-files: the written-order check on a folder read before', () => {
  it('holds the keys of the new export only, and tells of the tie', async () => {
    const folder = await folderWithNewExport();
    const check = await WrittenOrderCheck.open(folder, ['SPXK_1.xml', 'SPXK_2.xml']);
    const bytes = await folder.readBytes('SPXK_2.xml');
    if (!bytes) throw new Error('SPXK_2.xml vanished');
    check.note(STREAM, written[1] as WrittenFile, folder.parse(bytes).parsed.records);
    const found = await check.result(folder, STREAM, written, read);
    expect(found && [found.namedFirst.name, found.writtenFirst.name, found.keys]).toEqual([
      'SPXK_1.xml',
      'SPXK_2.xml',
      1,
    ]);
    expect(check.keysHeld).toBe(1);
  });

  it('compared from scratch (written again since the listing), holds the keys of the new export only', async () => {
    const folder = await folderWithNewExport();
    // Listed in order: nothing noted, every file parsed at the end.
    await utimes(join(folder.options.folder, 'SPXK_1.xml'), T1, T1);
    await utimes(join(folder.options.folder, 'SPXK_2.xml'), T2, T2);
    const check = await WrittenOrderCheck.open(folder, ['SPXK_1.xml', 'SPXK_2.xml']);
    const found = await check.result(folder, STREAM, written, read);
    expect(found && [found.namedFirst.name, found.writtenFirst.name, found.keys]).toEqual([
      'SPXK_1.xml',
      'SPXK_2.xml',
      1,
    ]);
    expect(check.keysHeld).toBe(1);
  });
});

describe('xml-files: the written-order check behind old files out of order', () => {
  it('notes nothing of a new export written in order after them', async () => {
    const folder = await folderWithNewExport();
    // Both read by earlier runs (told of then); a new export named and written last.
    await writeExport(folder.options.folder, 'SPXK_3.xml', [{ ID: '7', MC: '新新' }]);
    await utimes(join(folder.options.folder, 'SPXK_3.xml'), T3, T3);
    const names = ['SPXK_1.xml', 'SPXK_2.xml', 'SPXK_3.xml'];
    const check = await WrittenOrderCheck.open(folder, names, (name) => name !== 'SPXK_3.xml');
    const bytes = await folder.readBytes('SPXK_3.xml');
    if (!bytes) throw new Error('SPXK_3.xml vanished');
    const at = { name: 'SPXK_3.xml', mtimeMs: T3.getTime() };
    check.note(STREAM, at, folder.parse(bytes).parsed.records);
    expect(check.keysHeld).toBe(0);
    expect(await check.result(folder, STREAM, [...written, at], new Set(['SPXK_3.xml']))).toBeNull();
  });
});
