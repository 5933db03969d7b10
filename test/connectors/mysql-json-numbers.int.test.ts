/**
 * A MariaDB `JSON` column (a LONGTEXT checked by JSON_VALID, which MariaDB names as JSON in its
 * extended column metadata) holding numbers a JavaScript number cannot hold: mysql2 parses such a
 * column with JSON.parse, and licbridge wrote the parsed value back as text, so
 * `12345678901234567890` went out as `12345678901234567000` and `1e400` as `null`, without a word.
 * Such a value keeps every digit as the database wrote it; a value whose numbers a number holds
 * reads as before.
 */
import { describe, expect, it } from 'vitest';
import type { SourceValue } from '../../connectors/source.js';
import { readAll } from './conformance.js';
import { mariadbSource } from './legacy-sources.js';

const big = '{"xh": 12345678901234567890, "zb": 100.50, "jg": [1e400, 3.14159265358979323846], "mc": "食字"}';
const small = '{"xh": 1234567, "zb": 100.50, "10": [1e3], "b": {"mc": "食字"}}';

const legacy = mariadbSource(async (c) => {
  await c.query('CREATE TABLE T_ZZ (ID INT PRIMARY KEY, ZZ JSON)');
  await c.query('INSERT INTO T_ZZ VALUES (1, ?), (2, ?), (3, NULL)', [big, small]);
});

async function values(): Promise<SourceValue[]> {
  const pages = await readAll(legacy.source, { table: 'T_ZZ', key: 'ID' }, 10);
  return pages.flatMap((p) => p.rows.map((r) => r.values.ZZ ?? null));
}

describe('MariaDB JSON numbers', () => {
  it('keeps every digit of numbers a JavaScript number cannot hold', async () => {
    const [text] = await values();
    expect(text).toBe(
      '{"xh":12345678901234567890,"zb":100.5,"jg":[1e400,3.14159265358979323846],"mc":"食字"}',
    );
  });

  it('reads a value whose numbers a number holds as before, and NULL as null', async () => {
    const [, value, none] = await values();
    expect(value).toBe(JSON.stringify(JSON.parse(small)));
    expect(none).toBeNull();
  });
});
