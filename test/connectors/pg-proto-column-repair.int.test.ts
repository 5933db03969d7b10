/**
 * Value repair (connectors/repair/repair.ts) of a column named `__proto__`: a value too large, a
 * charset repair that succeeds or fails, a zero date. The repair sets `values[column]`; assigned
 * to an object without such an own property, `__proto__` would set the values' prototype (the
 * value dropped, a NULL taking the prototype away). The row's values hold it as their own
 * property (source-rows.ts `setValue`), and an assignment to an own data property writes that
 * property: the repaired value, or null with the row's problem, as for any other column.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../../connectors/open-source.js';
import type { SourceConnector, SourceRow } from '../../connectors/source.js';
import { createLogger } from '../../core/logger.js';
import { readAll } from './conformance.js';
import { pgFamilyConfig } from './pg-family-fixture.js';
import { createPgDatabase, type FreshPg } from './servers.js';

const quiet = createLogger({ level: 'silent' });

describe('PostgreSQL column named __proto__ under value repair', () => {
  let fresh: FreshPg;
  let source: SourceConnector;
  beforeAll(async () => {
    fresh = await createPgDatabase();
    await fresh.client.query('CREATE TABLE lbx_proto_rep (id int PRIMARY KEY, "__proto__" text)');
    // 中国 in GBK is D6 D0 B9 FA, read back through latin1 as four characters; D6 FF is no GBK.
    await fresh.client.query(
      `INSERT INTO lbx_proto_rep VALUES
         (1, convert_from('\\xd6d0b9fa'::bytea, 'LATIN1')),
         (2, convert_from('\\xd6ff'::bytea, 'LATIN1')),
         (3, '00000000'),
         (4, repeat('x', 40)),
         (5, 'JY001')`,
    );
    source = await openSource(
      'legacy',
      pgFamilyConfig('postgres', fresh.database, {
        charset: { repair: ['__proto__'], from: 'gb18030' },
        zeroDates: ['__proto__'],
        maxValueBytes: 32,
      }),
      { logger: quiet },
    );
  });
  afterAll(async () => {
    await source?.close();
    await fresh?.drop();
  });

  /** Each row's own `__proto__` entry, its prototype kept, and its problems' codes. */
  const shown = (row: SourceRow) => [
    Object.entries(row.values).find(([k]) => k === '__proto__'),
    Object.getPrototypeOf(row.values) === Object.prototype,
    (row.problems ?? []).map((p) => `${p.column} ${p.code}`),
  ];

  it('writes the repaired value, or null with the problem, as the own value', async () => {
    const rows = (await readAll(source, { table: 'lbx_proto_rep', key: 'id' }, 10)).flatMap((p) => p.rows);
    expect(rows.map(shown)).toEqual([
      [['__proto__', '中国'], true, []],
      [['__proto__', null], true, ['__proto__ LB_SOURCE_CHARSET']],
      [['__proto__', null], true, []],
      [['__proto__', null], true, ['__proto__ LB_SOURCE_TOO_LARGE']],
      [['__proto__', 'JY001'], true, []],
    ]);
  });
});
