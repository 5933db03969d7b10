/**
 * A `json` or `jsonb` column (a license's face fields, 照面信息, kept as JSON beside its row) whose
 * numbers a JavaScript number cannot hold: node-postgres parses the column with JSON.parse, and
 * licbridge wrote the parsed value back as text, so `12345678901234567890` went out as
 * `12345678901234567000`, a 20-digit serial or amount of another value, and
 * `3.14159265358979323846` lost its last digits, without a word. Such a value keeps every digit
 * as the database wrote it; a value whose numbers a number holds reads as before, digit for digit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../../connectors/open-source.js';
import type { SourceConnector, SourceValue } from '../../connectors/source.js';
import { createLogger } from '../../core/logger.js';
import { readAll } from './conformance.js';
import { pgFamilyConfig } from './pg-family-fixture.js';
import { createPgDatabase, type FreshPg } from './servers.js';

const quiet = createLogger({ level: 'silent' });

describe('PostgreSQL json and jsonb numbers', () => {
  let fresh: FreshPg;
  let source: SourceConnector;
  beforeAll(async () => {
    fresh = await createPgDatabase();
    await fresh.client.query('CREATE TABLE t_zz (id int PRIMARY KEY, zzb jsonb, zzj json)');
    const big = `{"xh": 12345678901234567890, "zb": 100.50, "pi": 3.14159265358979323846, "jg": [1e400, -0.000000000000000000012345678901234567890], "mc": "食字 \\"1\\"\\n"}`;
    const small = `{"xh": 1234567, "zb": 100.50, "10": [1e3, -0], "b": {"mc": "食字"}}`;
    await fresh.client.query(
      'INSERT INTO t_zz VALUES (1, CAST($1 AS text)::jsonb, CAST($1 AS text)::json), (2, CAST($2 AS text)::jsonb, CAST($2 AS text)::json), (3, NULL, NULL)',
      [big, small],
    );
    source = await openSource('legacy', pgFamilyConfig('postgres', fresh.database), { logger: quiet });
  });
  afterAll(async () => {
    await source?.close();
    await fresh?.drop();
  });

  async function valuesOf(column: string): Promise<SourceValue[]> {
    const pages = await readAll(source, { table: 't_zz', key: 'id' }, 10);
    return pages.flatMap((p) => p.rows.map((r) => r.values[column] ?? null));
  }

  it('keeps every digit of numbers a JavaScript number cannot hold', async () => {
    for (const column of ['zzb', 'zzj']) {
      const [big] = await valuesOf(column);
      expect(typeof big, column).toBe('string');
      const text = big as string;
      expect(text, column).toContain('"xh":12345678901234567890');
      expect(text, column).toContain('"pi":3.14159265358979323846');
      // jsonb keeps a number as numeric, and writes 1e400 out in full.
      const huge = column === 'zzb' ? `1${'0'.repeat(400)}` : '1e400';
      expect(text, column).toContain(`[${huge},-0.000000000000000000012345678901234567890]`);
      // Strings and the numbers a number holds read as before.
      expect(text, column).toContain('"zb":100.5');
      expect(text, column).toContain('"mc":"食字 \\"1\\"\\n"');
      expect(text.includes(' '), column).toBe(text.includes('食字 '));
    }
  });

  it('reads a value whose numbers a number holds as before, and NULL as null', async () => {
    for (const column of ['zzb', 'zzj']) {
      const [, small, none] = await valuesOf(column);
      const { rows } = await fresh.client.query(`SELECT CAST(${column} AS text) AS t FROM t_zz WHERE id = 2`);
      const stored = (rows[0] as { t: string }).t;
      expect(small, column).toBe(JSON.stringify(JSON.parse(stored)));
      expect(none, column).toBeNull();
    }
  });
});
