/**
 * SQLite values stored as TEXT that is not UTF-8 (STANDARDS §6, "Encodings"): a Windows
 * application's GBK strings written as they were. better-sqlite3 reads them with U+FFFD for each
 * byte it cannot read, and the bytes are gone: `食品经营部` went to the mappings, and on to the
 * platform, as a row of `�`. Only a column listed in `charset.repair` was quarantined. Such a
 * value now quarantines its row in any column (`LB_SOURCE_CHARSET`, naming the column and the way
 * out, never the value), as bad rows are: the run goes on, and the row waits for the column to be
 * read as bytes.
 */
import { describe, expect, it } from 'vitest';
import type { SourceRow } from '../../connectors/source.js';
import { readAll } from './conformance.js';
import { sqliteSource } from './legacy-sources.js';

const legacy = sqliteSource('licbridge-sqlite-undecodable-values-', (w) => {
  w.exec('CREATE TABLE T_XKZ (ID INTEGER PRIMARY KEY, XKZBH TEXT, JYZMC TEXT, BZ TEXT)');
  w.exec(`INSERT INTO T_XKZ VALUES (1, 'JY001', CAST(X'CAB3C6B7BEADD3AAB2BF' AS TEXT), 'ok')`);
  w.exec(`INSERT INTO T_XKZ VALUES (2, 'JY002', '食品经营部', 'ok')`);
  // A real U+FFFD stored as UTF-8 reads the same as a lost byte: no value may carry it on.
  w.exec(`INSERT INTO T_XKZ VALUES (3, 'JY003', 'plain', CAST(X'EFBFBD' AS TEXT))`);
});

describe('sqlite text values that are not UTF-8', () => {
  it('quarantines the row, naming the column, and reads the others as before', async () => {
    const pages = await readAll(legacy.source, { table: 'T_XKZ', key: 'ID' }, 10);
    const rows = new Map<string, SourceRow>(pages.flatMap((p) => p.rows.map((r) => [r.key, r])));
    const bad = rows.get('1');
    expect(bad?.values.JYZMC).toBeNull();
    expect(bad?.problems?.map((p) => [p.column, p.code])).toEqual([['JYZMC', 'LB_SOURCE_CHARSET']]);
    expect(bad?.problems?.[0]?.message).toContain('CAST(JYZMC AS BLOB)');
    expect(bad?.problems?.[0]?.message).not.toContain('\uFFFD');
    expect(rows.get('2')?.values.JYZMC).toBe('食品经营部');
    expect(rows.get('2')?.problems).toBeUndefined();
    expect(rows.get('3')?.problems?.map((p) => p.column)).toEqual(['BZ']);
  });
});
