/**
 * A SQLite key column declared `CHAR(n)` (as exports of Access-era systems declare them): SQLite
 * takes the declaration for TEXT affinity and pads nothing, so, unique, it holds `'K1'` and
 * `'K1 '` both, which `trim` (the default) reads as one key `K1`. The look-up of a page's padded
 * keys trimmed (padded-keys.ts) was skipped for every CHAR column, as if the database padded it:
 * with a page boundary between the two rows each was read as license `K1`, the later a new version
 * of the other, another holder's. The padded one is now quarantined as ambiguous, as for VARCHAR.
 */
import { describe, expect, it } from 'vitest';
import type { SourceRow, StreamSpec } from '../../connectors/source.js';
import { readAll } from './conformance.js';
import { sqliteSource } from './legacy-sources.js';

const legacy = sqliteSource('licbridge-sqlite-char-keys-', (w) => {
  w.exec('CREATE TABLE T_PAD (BH CHAR(10) PRIMARY KEY, GXSJ TEXT NOT NULL, MC TEXT)');
  const ins = w.prepare('INSERT INTO T_PAD VALUES (?, ?, ?)');
  ins.run('K0', '2024-03-01 08:00:00', 'a');
  ins.run('K1', '2024-03-01 08:00:01', 'b');
  ins.run('K2', '2024-03-01 08:00:02', 'd');
  ins.run('K1 ', '2024-03-01 08:00:03', 'c');
});

/** The rows read as license `K1`, unquarantined. */
const takenAsK1 = (rows: SourceRow[]) =>
  rows.filter((r) => r.key === 'K1' && (r.problems ?? []).length === 0).map((r) => r.values.MC);

describe('SQLite unique CHAR keys that read the same under trim, in different pages', () => {
  const streams: [string, StreamSpec][] = [
    ['a cursor stream', { table: 'T_PAD', key: 'BH', cursor: 'GXSJ' }],
    ['a key-only stream', { table: 'T_PAD', key: 'BH' }],
  ];
  for (const [name, stream] of streams) {
    it(`${name}: never two rows taken as one license, at every page size`, async () => {
      for (const size of [1, 2, 3, 500]) {
        const rows = (await readAll(legacy.source, stream, size)).flatMap((p) => p.rows);
        expect(rows).toHaveLength(4);
        expect(takenAsK1(rows).length, `page size ${size}`).toBeLessThanOrEqual(1);
        const padded = rows.find((r) => r.values.MC === 'c');
        expect(
          padded?.problems?.map((p) => p.code),
          `page size ${size}`,
        ).toEqual(['LB_SOURCE_KEY_AMBIGUOUS']);
      }
    });
  }
});
