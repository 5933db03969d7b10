/**
 * A full export of a large register in one file: some 130,000 records or more (a few megabytes,
 * far below `maxFileBytes`) failed every read, count and key listing with a bare `RangeError:
 * Maximum call stack size exceeded`, and the files after it waited for good. Gathering the
 * records at the record path handed them all to one call as its arguments, more than the engine
 * takes. They are gathered one by one now, and such a file is read whole.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import { RECORD_PATH, tempFolder, xmlConfig } from './xml-fixtures.js';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

const RECORDS = 150_000;

function bigExport(): string {
  const dir = tempFolder();
  folders.push(dir);
  const records: string[] = [];
  for (let i = 1; i <= RECORDS; i++) records.push(`<Record><ID>${i}</ID></Record>`);
  writeFileSync(join(dir, 'SPXK_full.xml'), `<Root><Records>\n${records.join('\n')}\n</Records></Root>\n`);
  return dir;
}

/**
 * This case's own limit, not vitest's 60 s: it took some 10 s of CPU (the file written, parsed and
 * read whole), and with the two cores at a load of 23 it ran 55-59 s, and out of time under more.
 * Since the file is parsed once and each record costs less, some 5 s of CPU (the file run whole,
 * 12 s at a load of 15-30). The records are as many as that: what it guards is a count past what
 * the engine takes as one call's arguments (from some 125,000 on Node 20), not a size; so each
 * holds its key alone (a second field was a sixth of the CPU).
 */
const WHOLE_FILE_TIMEOUT_MS = 300_000;

describe('xml-files: one file of many records', () => {
  it(`reads all ${RECORDS} records of one export file`, { timeout: WHOLE_FILE_TIMEOUT_MS }, async () => {
    const source = openXmlFilesSource('food', xmlConfig(bigExport()));
    const stream = { table: RECORD_PATH, key: 'ID' };
    try {
      let read = 0;
      let last: string | undefined;
      for await (const page of source.read({ stream, after: null, pageSize: 50_000 })) {
        read += page.rows.length;
        last = page.rows[page.rows.length - 1]?.key;
      }
      expect(read).toBe(RECORDS);
      expect(last).toBe(String(RECORDS));
    } finally {
      await source.close();
    }
  });
});
