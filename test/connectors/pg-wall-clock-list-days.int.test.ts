/**
 * The day a mapping takes of a `date[]` or `timestamp[]` element is the day it takes of a lone
 * `date` or `timestamp` of the same value: both are wall-clock values, whose stored fields are the
 * day on the license on any host. A list's element is its ISO text in the list's JSON, read with
 * a text step (`list`, then `replace`: `date` reads one value, not a list's items); a lone value
 * is a Date read with `date`. A day apart, a license's list of dates would disagree with its dates.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../../connectors/open-source.js';
import type { SourceConnector } from '../../connectors/source.js';
import { createLogger } from '../../core/logger.js';
import { compileMappingText } from '../../mappings/compile.js';
import { readAll } from './conformance.js';
import { pgFamilyConfig } from './pg-family-fixture.js';
import { createPgDatabase, type FreshPg } from './servers.js';

const quiet = createLogger({ level: 'silent' });

describe('PostgreSQL date and timestamp lists against lone values', () => {
  let fresh: FreshPg;
  let source: SourceConnector;
  beforeAll(async () => {
    fresh = await createPgDatabase();
    await fresh.client.query(
      'CREATE TABLE t_fzrq_list (id int PRIMARY KEY, fzrq date, lsfzrq date[], gxsj timestamp, lsgxsj timestamp[])',
    );
    await fresh.client.query(
      `INSERT INTO t_fzrq_list VALUES
         (1, '2024-03-01', '{2024-03-01,2024-12-31}', '2024-03-01 00:00:00', '{"2024-03-01 00:00:00","2024-02-29 23:59:59.999999"}')`,
    );
    source = await openSource('legacy', pgFamilyConfig('postgres', fresh.database), { logger: quiet });
  });
  afterAll(async () => {
    await source?.close();
    await fresh?.drop();
  });

  it('maps each element to the day its lone value maps to', async () => {
    const pages = await readAll(source, { table: 't_fzrq_list', key: 'id' }, 10);
    const row = pages[0]?.rows[0]?.values ?? {};
    const mapping = compileMappingText(
      [
        'fields:',
        '  surface.fzrq: { from: FZRQ, transform: [{ date: [yyyy-MM-dd] }] }',
        '  surface.lsfzrq[]: { from: LSFZRQ, transform: [list, { replace: ["T.*$", ""] }] }',
        '  surface.gxsj: { from: GXSJ, transform: [{ date: [yyyy-MM-dd] }] }',
        '  surface.lsgxsj[]: { from: LSGXSJ, transform: [list, { replace: ["T.*$", ""] }] }',
        '',
      ].join('\n'),
      '/maps/list-days.yaml',
    );
    const out = mapping.map({
      FZRQ: row.fzrq ?? null,
      LSFZRQ: row.lsfzrq ?? null,
      GXSJ: row.gxsj ?? null,
      LSGXSJ: row.lsgxsj ?? null,
    });
    expect(out).toMatchObject({
      ok: true,
      fields: {
        surface: {
          fzrq: '2024-03-01',
          lsfzrq: ['2024-03-01', '2024-12-31'],
          gxsj: '2024-03-01',
          lsgxsj: ['2024-03-01', '2024-02-29'],
        },
      },
    });
  });
});
