/**
 * The day a mapping takes of a `timestamptz[]` element against the day it takes of a lone
 * `timestamptz` of the same instant. The lone value is a Date marked as an instant, whose `date`
 * transform takes the day in the mapping's zone (`lifecycle.timeZone`); an element is text in the
 * list's JSON, and a text step cutting its day reads the day that text is written in. Written in
 * UTC, that was a day early for a time before 08:00 in Beijing. The source is opened with the
 * mapping's zone (`timeZone`, which the pipelines pass as `lifecycle.timeZone`), and an element is
 * that zone's wall clock with its offset: the lone value's day.
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
  const opened: SourceConnector[] = [];
  beforeAll(async () => {
    fresh = await createPgDatabase();
    await fresh.client.query(
      'CREATE TABLE lbx_fzsj (id int PRIMARY KEY, fzsj timestamptz, lsfzsj timestamptz[])',
    );
    await fresh.client.query(
      `INSERT INTO lbx_fzsj VALUES
         (1, '2024-03-01 00:30+08', '{"2024-03-01 00:30+08","2024-03-01 12:00+08",NULL,infinity}'),
         (2, '1988-06-01 08:30+09', '{{"1988-06-01 08:30+09"},{"1988-06-01 00:30+09"}}')`,
    );
  });
  afterAll(async () => {
    for (const source of opened) await source.close();
    await fresh?.drop();
  });

  async function read(timeZone?: string): Promise<Record<string, SourceValue>[]> {
    const source = await openSource('legacy', pgFamilyConfig('postgres', fresh.database), {
      logger: quiet,
      ...(timeZone === undefined ? {} : { timeZone }),
    });
    opened.push(source);
    const pages = await readAll(source, { table: 'lbx_fzsj', key: 'id' }, 10);
    return pages.flatMap((p) => p.rows.map((r) => r.values));
  }

  function mapped(row: Record<string, SourceValue> | undefined, timeZone: string): unknown {
    const out = mapping.map({ FZSJ: row?.fzsj ?? null, LSFZSJ: row?.lsfzsj ?? null }, { timeZone });
    return out.ok ? out.fields : out;
  }

  it("writes an element in the mapping's zone: the lone value's day before 08:00 in Beijing", async () => {
    const [one] = await read('Asia/Shanghai');
    expect(one?.lsfzsj).toBe(
      '["2024-03-01T00:30:00.000+08:00","2024-03-01T12:00:00.000+08:00",null,"infinity"]',
    );
    expect(mapped(one, 'Asia/Shanghai')).toEqual({
      surface: { fzsj: '2024-03-01', lsfzsj: ['2024-03-01', '2024-03-01', null, 'infinity'] },
    });
  });

  it('takes the zone the source is opened with, its offset that day (summer time) in each dimension', async () => {
    const [one, two] = await read('America/Los_Angeles');
    expect(mapped(one, 'America/Los_Angeles')).toEqual({
      surface: { fzsj: '2024-02-29', lsfzsj: ['2024-02-29', '2024-02-29', null, 'infinity'] },
    });
    // China kept summer time from 1986 to 1991: 1988-06-01 08:30+09 is that day's 08:30 in Beijing.
    const [, shanghai] = await read('Asia/Shanghai');
    expect(shanghai?.lsfzsj).toBe('[["1988-06-01T08:30:00.000+09:00"],["1988-06-01T00:30:00.000+09:00"]]');
    expect(two?.lsfzsj).toBe('[["1988-05-31T16:30:00.000-07:00"],["1988-05-31T08:30:00.000-07:00"]]');
  });

  it('is in Asia/Shanghai, the default of lifecycle.timeZone, when opened without a zone', async () => {
    const [one] = await read();
    expect(mapped(one, 'Asia/Shanghai')).toEqual({
      surface: { fzsj: '2024-03-01', lsfzsj: ['2024-03-01', '2024-03-01', null, 'infinity'] },
    });
  });
});
