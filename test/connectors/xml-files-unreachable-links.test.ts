/**
 * An export file that is a symbolic link into an archive or a share (how xml-exports.md keeps old
 * exports in the folder) whose target cannot be reached — the share not mounted, the archive moved
 * — was left out of the listing without a word, as if the export had been removed. Its records were
 * then missing from the source's keys, every one of its licenses reported `deleted-at-source`, and a
 * repair under `deletedAtSource: revoke` would revoke them, the keys read again while the share
 * was still down holding them no more than the first time. Such a link now stops the read, the
 * count and the keys, retryable, naming the link (not its target, nor any value): the folder is
 * not read while part of it cannot be.
 */
import { mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SourceConnector } from '../../connectors/source.js';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import { RECORD_PATH, tempFolder, writeExport, xmlConfig } from './xml-fixtures.js';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

const stream = { table: RECORD_PATH, key: 'ID' };

async function keysOf(source: SourceConnector): Promise<string[]> {
  const keys: string[] = [];
  for await (const chunk of source.keys(stream)) keys.push(...chunk);
  return keys;
}

async function readKeys(source: SourceConnector): Promise<string[]> {
  const keys: string[] = [];
  for await (const page of source.read({ stream, after: null, pageSize: 10 }))
    keys.push(...page.rows.map((r) => r.key));
  return keys;
}

/** An export folder with E001.xml and a link E002.xml to an archive that is not there (yet). */
async function folderWithArchiveLink(): Promise<{ dir: string; archive: string }> {
  const root = tempFolder();
  folders.push(root);
  const dir = join(root, 'exports');
  const archive = join(root, 'archive');
  mkdirSync(dir);
  await writeExport(dir, 'E001.xml', [{ ID: '1' }]);
  symlinkSync(join(archive, 'E002.xml'), join(dir, 'E002.xml'));
  return { dir, archive };
}

describe('xml-files: a linked export file that cannot be reached', () => {
  it('stops the keys, the count and the read instead of leaving its records out', async () => {
    const { dir } = await folderWithArchiveLink();
    const source = openXmlFilesSource('food', xmlConfig(dir));
    try {
      for (const attempt of [() => keysOf(source), () => source.count(stream), () => readKeys(source)]) {
        await expect(attempt()).rejects.toMatchObject({
          code: 'LB_SOURCE_UNREACHABLE',
          retryable: true,
          message: expect.stringMatching(/file E002\.xml .*symbolic link.*cannot be reached \(ENOENT\)/),
        });
      }
    } finally {
      await source.close();
    }
  });

  it('reads the folder whole once the link leads to its file again', async () => {
    const { dir, archive } = await folderWithArchiveLink();
    mkdirSync(archive);
    await writeExport(archive, 'E002.xml', [{ ID: '2' }]);
    const source = openXmlFilesSource('food', xmlConfig(dir));
    try {
      expect(await keysOf(source)).toEqual(['1', '2']);
      expect(await readKeys(source)).toEqual(['1', '2']);
    } finally {
      await source.close();
    }
  });

  it('does not name the target the link points to', async () => {
    const { dir, archive } = await folderWithArchiveLink();
    const source = openXmlFilesSource('food', xmlConfig(dir));
    try {
      const e = await keysOf(source).then(
        () => new Error('read'),
        (x: unknown) => x as Error,
      );
      expect(e.message).toMatch(/E002\.xml/);
      expect(e.message).not.toContain(archive);
    } finally {
      await source.close();
    }
  });
});
