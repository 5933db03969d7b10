/**
 * A files-read record kept for the whole source — what ledgers hold from before the record was
 * kept per pipeline, written here by a read without a pipeline as those releases wrote it — on both
 * ledger backends. It says some pipeline on the source read a file, not which: a pipeline alone on
 * its source takes it as its own and reads nothing again; pipelines sharing the source skip no
 * file on its word, whichever of them had read it.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Checkpoint, SourceReader } from '../../connectors/source.js';
import { FilesRead, pipelineScope } from '../../connectors/xml-files/files-read.js';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from '../ledger/backends.js';
import { RECORD_PATH, tempFolder, writeExport, xmlConfig } from './xml-fixtures.js';

const stream = { table: RECORD_PATH, key: 'ID', cursor: 'GXSJ' };
const recs = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => ({ ID: String(from + i), GXSJ: `2024-03-0${1 + (i % 5)} 08:00:00` }));

for (const backend of BACKENDS) {
  describe(`xml-files: a ${backend.name} ledger's record kept for the whole source`, () => {
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

    /** A fresh folder and source; each reader resumes from its own checkpoint, committing as it goes. */
    function setup() {
      const dir = tempFolder();
      const name = `food-${++n}`;
      const source = openXmlFilesSource(name, xmlConfig(dir), { state: ledger });
      const checkpoints = new Map<string, Checkpoint | null>();
      /** Reads as `reader` does (none: as releases before per-pipeline records did). */
      const read = async (reader: SourceReader | null, as = reader?.pipeline ?? 'old'): Promise<string[]> => {
        const keys: string[] = [];
        const after = checkpoints.get(as) ?? null;
        for await (const page of source.read({
          stream,
          after,
          pageSize: 10,
          ...(reader ? { reader } : {}),
        })) {
          keys.push(...page.rows.map((r) => r.key));
          checkpoints.set(as, page.checkpoint);
        }
        return keys;
      };
      const recorded = async (reader: SourceReader) => [
        ...(await new FilesRead(ledger, name, RECORD_PATH, { ...reader, shared: true }).load()).keys(),
      ];
      const done = () => {
        rmSync(dir, { recursive: true, force: true });
        return source.close();
      };
      return { dir, name, checkpoints, read, recorded, done };
    }

    it('is the own record of a pipeline alone on its source: nothing read again, new files read', async () => {
      const t = setup();
      await writeExport(t.dir, 'E001.xml', recs(1, 3));
      await writeExport(t.dir, 'E002.xml', recs(4, 2));
      expect(await t.read(null)).toEqual(['1', '2', '3', '4', '5']);
      // The upgrade: the pipeline resumes from the checkpoint the old release committed.
      const alone = { pipeline: 'food-business-licenses', shared: false };
      t.checkpoints.set(alone.pipeline, t.checkpoints.get('old') ?? null);
      expect(await t.read(alone)).toEqual([]);
      // Taken over as the pipeline's own: a second pipeline configured later changes nothing for it.
      expect(await t.recorded(alone)).toEqual(['E001.xml', 'E002.xml']);
      const entries = await ledger.stateEntries(t.name, pipelineScope(RECORD_PATH, alone.pipeline));
      expect(entries.map((e) => e.key)).toEqual(['E001.xml', 'E002.xml']);
      await writeExport(t.dir, 'E003.xml', recs(6, 2));
      expect(await t.read({ ...alone, shared: true })).toEqual(['6', '7']);
      expect(await t.read({ ...alone, shared: true })).toEqual([]);
      await t.done();
    });

    it('is no pipeline’s own when pipelines share the source: none skips a file on its word', async () => {
      const t = setup();
      await writeExport(t.dir, 'E001.xml', recs(1, 3));
      const district = { pipeline: 'district', shared: true };
      const city = { pipeline: 'city', shared: true };
      // Before the upgrade both read E001; then the district's pipeline read E002 and recorded it
      // for the source, and the city's, resuming, skipped it: the loss this record caused.
      expect(await t.read(null, 'district')).toEqual(['1', '2', '3']);
      expect(await t.read(null, 'city')).toEqual(['1', '2', '3']);
      await writeExport(t.dir, 'E002.xml', recs(4, 2));
      expect(await t.read(null, 'district')).toEqual(['4', '5']);
      expect(await t.read(null, 'city')).toEqual([]);
      // After it, the city's pipeline reads the file it lost. Each reads again, once, what neither
      // its own record nor its checkpoint shows it read (the ledger makes no version of a record
      // it holds), then nothing: the city's checkpoint sits at E001's end, the district's at E002's.
      expect(await t.read(city)).toEqual(['4', '5']);
      expect(await t.read(district)).toEqual(['1', '2', '3']);
      expect(await t.read(city)).toEqual([]);
      expect(await t.read(district)).toEqual([]);
      expect(await t.recorded(city)).toEqual(['E001.xml', 'E002.xml']);
      expect(await t.recorded(district)).toEqual(['E001.xml', 'E002.xml']);
      await t.done();
    });
  });
}
