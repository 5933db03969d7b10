/**
 * Each element of a PostgreSQL array column reaches the mappings in the shape its type's lone value
 * does. node-postgres hands a `bigint[]`'s elements over as text, `["1","2"]`, where a lone bigint
 * of 1 is the number 1 (and an `int[]`'s elements are numbers): a license's list of ids kept in a
 * bigint[] read `"1"` beside the lone id's 1. Elements a number holds are numbers now, the others
 * text with every digit, as a lone bigint is. Arrays node-postgres has no parser for (`"char"[]`,
 * `name[]`, `bit[]`, `varbit[]`, `xml[]`, `macaddr8[]`, the built-in range types' arrays) came as
 * the server's array text, `{a,b}`, which `list` refused as no JSON: they are JSON list text of
 * each element's text now, as the lone values are text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../../connectors/open-source.js';
import type { SourceConnector, SourceValue } from '../../connectors/source.js';
import { createLogger } from '../../core/logger.js';
import { readAll } from './conformance.js';
import { pgFamilyConfig } from './pg-family-fixture.js';
import { createPgDatabase, type FreshPg } from './servers.js';

const quiet = createLogger({ level: 'silent' });

describe('PostgreSQL array elements against lone values', () => {
  let fresh: FreshPg;
  let source: SourceConnector;
  beforeAll(async () => {
    fresh = await createPgDatabase();
    await fresh.client.query('CREATE TABLE lbx_el (id int PRIMARY KEY, xh bigint, xhl bigint[])');
    await fresh.client.query(
      `INSERT INTO lbx_el VALUES
         (1, 1, '{1,-9007199254740991,9007199254740993,NULL}'),
         (2, 9007199254740993, '{{1,2},{3,4}}')`,
    );
    await fresh.client.query(
      `CREATE TABLE lbx_txt (id int PRIMARY KEY, lb "char", lbl "char"[], mc name[], bz bit(3)[], bb varbit[],
         nr xml[], wk macaddr8[], fw int4range[], rq daterange[], sj tsrange[], sjz tstzrange[], xh int8range[])`,
    );
    await fresh.client.query(
      `INSERT INTO lbx_txt VALUES (1, 'a', '{a,NULL,b}', '{"甲 乙"}', '{101,NULL}', '{1,1100}', '{"<a>x, y</a>"}',
         '{08:00:2b:01:02:03:04:05}', '{"[1,3)",empty}', '{"[2024-03-01,2024-04-01)"}',
         '{"[2024-03-01 00:00,)"}', '{"[2024-03-01 00:00+00,2024-03-02 00:00+00)"}', '{"[1,9007199254740993)"}')`,
    );
    source = await openSource('legacy', pgFamilyConfig('postgres', fresh.database), { logger: quiet });
  });
  afterAll(async () => {
    await source?.close();
    await fresh?.drop();
  });

  async function rows(): Promise<Record<string, SourceValue>[]> {
    const pages = await readAll(source, { table: 'lbx_el', key: 'id' }, 10);
    return pages.flatMap((p) => p.rows.map((r) => r.values));
  }

  it('reads a bigint list element as a lone bigint reads', async () => {
    const [one, two] = await rows();
    expect([one?.xh, two?.xh]).toEqual([1, '9007199254740993']);
    expect(one?.xhl).toBe('[1,-9007199254740991,"9007199254740993",null]');
    expect(two?.xhl).toBe('[[1,2],[3,4]]');
  });

  it('reads the arrays node-postgres has no parser for as JSON list text', async () => {
    const pages = await readAll(source, { table: 'lbx_txt', key: 'id' }, 10);
    const row = pages[0]?.rows[0]?.values ?? {};
    expect(row.lb).toBe('a');
    expect(row).toMatchObject({
      lbl: '["a",null,"b"]',
      mc: '["甲 乙"]',
      bz: '["101",null]',
      bb: '["1","1100"]',
      nr: '["<a>x, y</a>"]',
      wk: '["08:00:2b:01:02:03:04:05"]',
      fw: '["[1,3)","empty"]',
      rq: '["[2024-03-01,2024-04-01)"]',
      sj: '["[\\"2024-03-01 00:00:00\\",)"]',
      xh: '["[1,9007199254740993)"]',
    });
    expect(JSON.parse(String(row.sjz))).toHaveLength(1);
  });
});
