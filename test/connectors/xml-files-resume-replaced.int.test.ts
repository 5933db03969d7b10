/**
 * A run stopped inside an export file (a crash after a committed page, or after the file's last
 * page but before the file was recorded), and the export tool then rewrote that file under the
 * same name: the restart reads the new content whole. Resuming at the old record index would skip
 * the new file's first records for good, since the file is then recorded as read.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Checkpoint } from '../../connectors/source.js';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { quietLogger, sqliteBackend, type TestDatabase } from '../ledger/backends.js';
import { RECORD_PATH, tempFolder, writeExport, xmlConfig } from './xml-fixtures.js';

const stream = { table: RECORD_PATH, key: 'ID', cursor: 'GXSJ' };
const recs = (from: number, n: number, day = 1) =>
  Array.from({ length: n }, (_, i) => ({ ID: String(from + i), GXSJ: `2024-03-0${day} 08:00:00` }));

describe('xml-files: the file a run stopped in is rewritten before the restart', () => {
  let db: TestDatabase;
  let ledger: Ledger;
  let n = 0;
  const folders: string[] = [];
  beforeAll(async () => {
    db = await sqliteBackend.create();
    ledger = await openLedger(db.url, { logger: quietLogger });
    await ledger.migrate();
  });
  afterAll(async () => {
    await ledger?.close();
    await db?.dispose();
    for (const f of folders) rmSync(f, { recursive: true, force: true });
  });

  /** Reads like an extract run, committing each page; `withState: false` has no files-read record. */
  function setup(withState: boolean) {
    const dir = tempFolder();
    folders.push(dir);
    const source = openXmlFilesSource(`food-${++n}`, xmlConfig(dir), withState ? { state: ledger } : {});
    let checkpoint: Checkpoint | null = null;
    const run = async (pageSize: number, stopAfterPages = Number.POSITIVE_INFINITY): Promise<string[]> => {
      const keys: string[] = [];
      let pages = 0;
      for await (const page of source.read({ stream, after: checkpoint, pageSize })) {
        keys.push(...page.rows.map((r) => `${r.key}@${r.values.GXSJ}`));
        checkpoint = page.checkpoint;
        if (++pages >= stopAfterPages) break;
      }
      return keys;
    };
    return { dir, run };
  }

  for (const withState of [true, false]) {
    const label = withState ? 'with the files-read record' : 'from the checkpoint alone';

    it(`${label}: stopped mid-file, the rewritten file's changed records are all read`, async () => {
      const t = setup(withState);
      await writeExport(t.dir, 'E001.xml', recs(1, 6));
      expect(await t.run(3, 1)).toEqual([
        '1@2024-03-01 08:00:00',
        '2@2024-03-01 08:00:00',
        '3@2024-03-01 08:00:00',
      ]);
      // The export tool writes the day's export again: every record changed.
      await writeExport(t.dir, 'E001.xml', recs(1, 6, 2));
      expect(await t.run(10)).toEqual(recs(1, 6, 2).map((r) => `${r.ID}@${r.GXSJ}`));
    });

    it(`${label}: stopped after the file's last page, a rewrite with new records is read whole`, async () => {
      const t = setup(withState);
      await writeExport(t.dir, 'E001.xml', recs(1, 2));
      expect(await t.run(5, 1)).toEqual(['1@2024-03-01 08:00:00', '2@2024-03-01 08:00:00']);
      await writeExport(t.dir, 'E001.xml', recs(11, 3, 2));
      expect(await t.run(5)).toEqual([
        '11@2024-03-02 08:00:00',
        '12@2024-03-02 08:00:00',
        '13@2024-03-02 08:00:00',
      ]);
    });
  }

  it('an unchanged file is still resumed where the run stopped, not read again', async () => {
    const t = setup(true);
    await writeExport(t.dir, 'E001.xml', recs(1, 5));
    expect(await t.run(2, 1)).toHaveLength(2);
    expect((await t.run(2)).map((k) => k.split('@')[0])).toEqual(['3', '4', '5']);
  });
});
