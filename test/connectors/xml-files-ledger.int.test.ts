/**
 * The ledger of files already read, on both ledger backends: a restart does not read a file
 * again, a rewritten file is read again, a late file is not lost, and a file is recorded only
 * once the pages holding its records were consumed.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Checkpoint } from '../../connectors/source.js';
import { FilesRead } from '../../connectors/xml-files/files-read.js';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from '../ledger/backends.js';
import { RECORD_PATH, tempFolder, writeExport, xmlConfig } from './xml-fixtures.js';

const stream = { table: RECORD_PATH, key: 'ID', cursor: 'GXSJ' };
const recs = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => ({ ID: String(from + i), GXSJ: `2024-03-0${1 + (i % 5)} 08:00:00` }));

for (const backend of BACKENDS) {
  describe(`xml-files with a ${backend.name} ledger of files read`, () => {
    let db: TestDatabase;
    let ledger: Ledger;
    let n = 0;
    beforeAll(async () => {
      db = await backend.create();
      ledger = await openLedger(db.url, { logger: quietLogger });
      await ledger.migrate();
    });
    afterAll(async () => {
      await ledger?.close();
      await db?.dispose();
    });

    /** The files of a source recorded as read, as the connector sees them through the state port. */
    const filesRead = async (source: string) => [
      ...(await new FilesRead(ledger, source, RECORD_PATH).load()).values(),
    ];

    /** A fresh folder and source name per test; `run` reads like an extract run, committing as it goes. */
    function setup() {
      const dir = tempFolder();
      const name = `food-${++n}`;
      const source = openXmlFilesSource(name, xmlConfig(dir), { state: ledger });
      let checkpoint: Checkpoint | null = null;
      const run = async (pageSize: number, stopAfterPages = Number.POSITIVE_INFINITY): Promise<string[]> => {
        const keys: string[] = [];
        let pages = 0;
        for await (const page of source.read({ stream, after: checkpoint, pageSize })) {
          keys.push(...page.rows.map((r) => r.key));
          checkpoint = page.checkpoint; // "committed"
          if (++pages >= stopAfterPages) break; // a crash right after a commit
        }
        return keys;
      };
      const done = () => {
        rmSync(dir, { recursive: true, force: true });
        return source.close();
      };
      return { dir, name, source, run, done };
    }

    it('records each file once read, and a restart reads only new files', async () => {
      const t = setup();
      await writeExport(t.dir, 'E001.xml', recs(1, 4));
      await writeExport(t.dir, 'E002.xml', recs(5, 3));
      expect(await t.run(3)).toEqual(['1', '2', '3', '4', '5', '6', '7']);
      const read = await filesRead(t.name);
      expect(read.map((f) => f.name)).toEqual(['E001.xml', 'E002.xml']);
      expect(read[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
      // In the ledger, an opaque entry per file: the connector's versioned JSON, keyed by file name.
      const entries = await ledger.stateEntries(t.name, RECORD_PATH);
      expect(entries.map((e) => e.key)).toEqual(['E001.xml', 'E002.xml']);
      expect(JSON.parse(entries[0]?.value ?? '')).toEqual({
        v: 1,
        size: read[0]?.size,
        sha256: read[0]?.sha256,
      });
      expect(await t.run(3)).toEqual([]);
      await writeExport(t.dir, 'E003.xml', recs(8, 2));
      expect(await t.run(3)).toEqual(['8', '9']);
      await t.done();
    });

    it('reads a file again when its content changed under the same name', async () => {
      const t = setup();
      await writeExport(t.dir, 'E001.xml', recs(1, 2));
      expect(await t.run(10)).toEqual(['1', '2']);
      await writeExport(t.dir, 'E001.xml', recs(1, 3));
      expect(await t.run(10)).toEqual(['1', '2', '3']);
      await t.done();
    });

    it('reads a late file whose name sorts before the checkpoint', async () => {
      const t = setup();
      await writeExport(t.dir, 'E005.xml', recs(1, 2));
      expect(await t.run(10)).toEqual(['1', '2']);
      await writeExport(t.dir, 'E002.xml', recs(20, 2));
      expect(await t.run(10)).toEqual(['20', '21']);
      await t.done();
    });

    it('after a crash mid-file resumes inside it, and records it only when finished', async () => {
      const t = setup();
      await writeExport(t.dir, 'E001.xml', recs(1, 7));
      expect(await t.run(3, 1)).toEqual(['1', '2', '3']);
      expect(await filesRead(t.name)).toEqual([]);
      expect(await t.run(3)).toEqual(['4', '5', '6', '7']);
      expect((await filesRead(t.name)).map((f) => f.name)).toEqual(['E001.xml']);
      await t.done();
    });

    it('ends pages at file ends, so a crash between two files replays nothing', async () => {
      const t = setup();
      await writeExport(t.dir, 'E001.xml', recs(1, 2));
      await writeExport(t.dir, 'E002.xml', recs(3, 2));
      // Stopping right after E001's page was committed: E001 is not recorded yet...
      expect(await t.run(3, 1)).toEqual(['1', '2']);
      expect(await filesRead(t.name)).toEqual([]);
      // ...and the restart neither reads it again nor loses E002.
      expect(await t.run(3)).toEqual(['3', '4']);
      expect((await filesRead(t.name)).map((f) => f.name)).toEqual(['E001.xml', 'E002.xml']);
      await t.done();
    });

    it('reads a file again whose recorded value is in a form this release does not know', async () => {
      const t = setup();
      await writeExport(t.dir, 'E001.xml', recs(1, 2));
      await writeExport(t.dir, 'E002.xml', recs(3, 1));
      expect(await t.run(10)).toEqual(['1', '2', '3']);
      const [first] = await ledger.stateEntries(t.name, RECORD_PATH);
      const newer = JSON.stringify({ ...JSON.parse(first?.value ?? ''), v: 2 });
      await ledger.putStateEntry(t.name, RECORD_PATH, 'E001.xml', newer);
      // Not trusted, so not skipped: read whole again (it sorts before the checkpoint's file)...
      expect(await t.run(10)).toEqual(['1', '2']);
      // ...and recorded again in this release's form.
      expect((await filesRead(t.name)).map((f) => f.name)).toEqual(['E001.xml', 'E002.xml']);
      await t.done();
    });

    it('forgets the files of a source so the next read takes them again', async () => {
      const t = setup();
      writeFileSync(join(t.dir, 'ignored.txt'), 'not an export');
      await writeExport(t.dir, 'E001.XML', recs(1, 2));
      expect(await t.run(10)).toEqual(['1', '2']);
      expect(await ledger.forgetState(t.name)).toBe(1);
      const again = openXmlFilesSource(t.name, xmlConfig(t.dir), { state: ledger });
      const keys: string[] = [];
      for await (const p of again.read({ stream, after: null, pageSize: 10 }))
        keys.push(...p.rows.map((r) => r.key));
      expect(keys).toEqual(['1', '2']);
      await t.done();
    });
  });
}
