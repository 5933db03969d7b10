/**
 * A `trim` list names fields as a database source's names columns, whatever their case: the one
 * `trim` setting of a source, whose names a database source compares case-insensitively, as an
 * xml-files source compares those of `zeroDates`. An xml-files source compared them exactly: a
 * list written `[sfzh, mc]` for a CHAR-padded export's `SFZH` and `MC` trimmed neither, and the
 * values went out with their padding (a face field printed so; a holder id refused by the
 * catalog's LB_SCHEMA_PATTERN).
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { openSource } from '../../connectors/open-source.js';
import { readAll } from './conformance.js';
import { RECORD_PATH, tempFolder, writeExport, xmlConfig } from './xml-fixtures.js';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

/** The values of the one record of a CHAR-padded export, read with `trim` as given. */
async function valuesRead(trim: readonly string[]): Promise<Record<string, unknown>> {
  const dir = tempFolder();
  folders.push(dir);
  await writeExport(dir, 'SPXK_1.xml', [
    { ID: '1', SFZH: 'E12345678   ', MC: '某某食品店    ', BZ: 'remark    ' },
  ]);
  const source = await openSource('exports', xmlConfig(dir, { trim }));
  try {
    const pages = await readAll(source, { table: RECORD_PATH, key: 'ID' }, 10);
    return pages[0]?.rows[0]?.values ?? {};
  } finally {
    await source.close();
  }
}

describe('xml-files: the fields of a trim list, whatever their case', () => {
  it('trims the fields named in another case, and leaves the others padded', async () => {
    const values = await valuesRead(['sfzh', 'Mc']);
    expect(values.SFZH).toBe('E12345678');
    expect(values.MC).toBe('某某食品店');
    expect(values.BZ).toBe('remark    ');
  });

  it('trims the fields named as the export spells them, as before', async () => {
    const values = await valuesRead(['SFZH']);
    expect(values.SFZH).toBe('E12345678');
    expect(values.MC).toBe('某某食品店    ');
  });
});
