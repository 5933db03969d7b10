/**
 * `zeroDates` and `maxValueBytes` on an xml-files source act as on a database source: an export
 * tool writes `00000000` for "no date" as a legacy table stores it, and one value can be huge.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../config/types.js';
import type { SourceRow } from '../../connectors/source.js';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import { RECORD_PATH, tempFolder, writeExport, xmlConfig } from './xml-fixtures.js';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

async function rowsOf(overrides: Partial<SourceConfig>): Promise<SourceRow[]> {
  const dir = tempFolder();
  folders.push(dir);
  await writeExport(dir, 'E001.xml', [
    { ID: '1', YXQZ: '00000000', BZ: 'short' },
    { ID: '2', YXQZ: '20301231', BZ: 'x'.repeat(64) },
  ]);
  const source = openXmlFilesSource('food', xmlConfig(dir, overrides));
  const rows: SourceRow[] = [];
  try {
    for await (const page of source.read({
      stream: { table: RECORD_PATH, key: 'ID' },
      after: null,
      pageSize: 10,
    })) {
      rows.push(...page.rows);
    }
  } finally {
    await source.close();
  }
  return rows;
}

describe('xml-files: legacy value repair', () => {
  it('zeroDates turns a zero date into null', async () => {
    const rows = await rowsOf({ zeroDates: ['YXQZ'] });
    expect(rows.map((r) => r.values.YXQZ)).toEqual([null, '20301231']);
    expect(rows.every((r) => r.problems === undefined)).toBe(true);
  });

  it('a value above maxValueBytes quarantines its row, naming the field', async () => {
    const rows = await rowsOf({ maxValueBytes: 32 });
    expect(rows[0]?.problems).toBeUndefined();
    expect(rows[1]?.problems).toEqual([
      expect.objectContaining({ column: 'BZ', code: 'LB_SOURCE_TOO_LARGE' }),
    ]);
  });

  it('without them values are read as written', async () => {
    const rows = await rowsOf({});
    expect(rows.map((r) => r.values.YXQZ)).toEqual(['00000000', '20301231']);
    expect(rows.every((r) => r.problems === undefined)).toBe(true);
  });
});
