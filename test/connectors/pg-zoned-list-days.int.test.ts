/**
 * The day a mapping takes of a `timestamptz[]` element against the day it takes of a lone
 * `timestamptz` of the same instant. The lone value is a Date marked as an instant, whose `date`
 * transform takes the day in the mapping's zone (`lifecycle.timeZone`); an element is the
 * instant's UTC text in the list's JSON, and a text step cutting its day reads the UTC day: a day
 * early for a time before 08:00 in Beijing. The source is opened without the mapping's zone, so
 * the element cannot be written in it (docs/connectors.md says so); the SQL that docs/connectors.md
 * gives for the days in the zone maps each element to the lone value's day.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../../connectors/open-source.js';
import type { SourceConnector, SourceValue } from '../../connectors/source.js';
import { createLogger } from '../../core/logger.js';
import { compileMappingText } from '../../mappings/compile.js';
import { readAll } from './conformance.js';
import { pgFamilyConfig } from './pg-family-fixture.js';
import { createPgDatabase, type FreshPg } from './servers.js';

const quiet = createLogger({ level: 'silent' });

const mapping = compileMappingText(
  [
    'fields:',
    '  surface.fzsj: { from: FZSJ, transform: [{ date: [yyyy-MM-dd] }] }',
    '  surface.lsfzsj[]: { from: LSFZSJ, transform: [list, { replace: ["T.*$", ""] }] }',
    '',
  ].join('\n'),
  '/maps/zoned-list-days.yaml',
);

describe('PostgreSQL timestamptz lists against lone values', () => {
  let fresh: FreshPg;
  let source: SourceConnector;
  beforeAll(async () => {
    fresh = await createPgDatabase();
    await fresh.client.query(
      'CREATE TABLE lbx_fzsj (id int PRIMARY KEY, fzsj timestamptz, lsfzsj timestamptz[])',
    );
    await fresh.client.query(
      `INSERT INTO lbx_fzsj VALUES
         (1, '2024-03-01 00:30+08', '{"2024-03-01 00:30+08","2024-03-01 12:00+08",NULL,infinity}')`,
    );
    source = await openSource('legacy', pgFamilyConfig('postgres', fresh.database), { logger: quiet });
  });
  afterAll(async () => {
    await source?.close();
    await fresh?.drop();
  });

  async function mapped(stream: { table: string; key: string; query?: string }): Promise<unknown> {
    const pages = await readAll(source, stream, 10);
    const row: Record<string, SourceValue> = pages[0]?.rows[0]?.values ?? {};
    const out = mapping.map(
      { FZSJ: row.fzsj ?? null, LSFZSJ: row.lsfzsj ?? null },
      { timeZone: 'Asia/Shanghai' },
    );
    return out.ok ? out.fields : out;
  }

  it('reads an element as its UTC text: a day early before 08:00 in Beijing', async () => {
    const pages = await readAll(source, { table: 'lbx_fzsj', key: 'id' }, 10);
    expect(pages[0]?.rows[0]?.values.lsfzsj).toBe(
      '["2024-02-29T16:30:00.000Z","2024-03-01T04:00:00.000Z",null,"infinity"]',
    );
    expect(await mapped({ table: 'lbx_fzsj', key: 'id' })).toEqual({
      surface: { fzsj: '2024-03-01', lsfzsj: ['2024-02-29', '2024-03-01', null, 'infinity'] },
    });
  });

  it("maps each element to the lone value's day through the SQL docs/connectors.md gives", async () => {
    const query = `SELECT id, fzsj, array(SELECT (t AT TIME ZONE 'Asia/Shanghai')::date
        FROM unnest(lsfzsj) WITH ORDINALITY AS u(t, n) ORDER BY n) AS lsfzsj FROM lbx_fzsj`;
    expect(await mapped({ table: 'q_fzsj', key: 'id', query })).toEqual({
      surface: { fzsj: '2024-03-01', lsfzsj: ['2024-03-01', '2024-03-01', null, 'infinity'] },
    });
  });
});
