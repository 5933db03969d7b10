/**
 * PostgreSQL prints dates and timestamps as `DateStyle` says, and a database or role may set it
 * (`SQL, DMY` for an application that shows dd/mm/yyyy). In the SQL and Postgres styles a
 * timestamptz prints its zone as an abbreviation, which the server does not read back as printed:
 * at TimeZone Asia/Shanghai, 2024-03-01 07:00+08 prints `01/03/2024 07:00:00 CST`, read back as US
 * Central time (-06), 14 hours later. A timestamptz cursor's checkpoint named that later instant,
 * and the rows in between were never read. node-postgres reads only the ISO style: a DATE came
 * through as the text `01/03/2024`. Every read asks for ISO output in its transaction, keeping the
 * database's field order, so a checkpoint written before still reads back as the same day.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../../connectors/open-source.js';
import type { SourceConnector } from '../../connectors/source.js';
import { createLogger } from '../../core/logger.js';
import { keysReadInRuns } from './float-runs.js';
import { pgFamilyConfig } from './pg-family-fixture.js';
import { createPgDatabase, type FreshPg } from './servers.js';

let fresh: FreshPg;
let source: SourceConnector;

const TIMES = [
  '2024-03-01 06:00:00+08',
  '2024-03-01 07:00:00+08',
  '2024-03-01 09:30:00+08',
  '2024-03-01 12:00:00.123456+08',
  '2024-03-01 20:59:59+08',
  '2024-03-01 21:00:00+08',
  '2024-03-01 23:00:00+08',
];

beforeAll(async () => {
  fresh = await createPgDatabase();
  // As an application's database may be set up, for every new session of this database.
  await fresh.client.query(`ALTER DATABASE ${fresh.database} SET DateStyle = 'SQL, DMY'`);
  await fresh.client.query(`ALTER DATABASE ${fresh.database} SET TimeZone = 'Asia/Shanghai'`);
  await fresh.client.query(
    'CREATE TABLE t_z (id int PRIMARY KEY, gx timestamptz NOT NULL, fzrq date, sj timestamp(6))',
  );
  for (const [i, t] of TIMES.entries()) {
    await fresh.client.query('INSERT INTO t_z VALUES ($1, $2, $3, $4)', [
      i + 1,
      t,
      '2024-03-01',
      '2024-03-01 07:00:00.5',
    ]);
  }
  source = await openSource('legacy', pgFamilyConfig('postgres', fresh.database), {
    logger: createLogger({ level: 'silent' }),
  });
});

afterAll(async () => {
  await source?.close();
  await fresh?.drop();
});

describe('postgres sources whose database sets a DateStyle other than ISO', () => {
  it('reads every row of a timestamptz cursor once, one page per run', async () => {
    const order = TIMES.map((_, i) => String(i + 1));
    for (const size of [1, 2, 3]) {
      const keys = await keysReadInRuns(source, { table: 't_z', key: 'id', cursor: 'gx' }, size);
      expect(keys, `page size ${size}`).toEqual(order);
    }
  });

  it('hands dates and timestamps over as Dates of the stored day and time', async () => {
    for await (const page of source.read({ stream: { table: 't_z', key: 'id' }, after: null, pageSize: 2 })) {
      const row = page.rows[0]?.values ?? {};
      expect(row.fzrq).toEqual(new Date('2024-03-01T00:00:00Z'));
      expect(row.sj).toEqual(new Date('2024-03-01T07:00:00.500Z'));
      expect(row.gx).toEqual(new Date('2024-02-29T22:00:00Z'));
      break;
    }
  });
});
