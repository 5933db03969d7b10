/**
 * PostgreSQL arrays whose type OID is a database's own, not node-postgres': an enum's array, a
 * domain's array (`bh[]` of `CREATE DOMAIN bh AS varchar(10)`), and the built-in arrays it has no
 * parser for either, `tsvector[]`, `tsquery[]` and the multiranges'. They reached the mappings as
 * the server's array text, `{a,b}`, which `list` refuses as no JSON, where a `text[]` is JSON list
 * text. They are JSON list text now, each element as its lone value reads: an enum's label and a
 * text domain's text (trimmed as a `text[]`'s are), a domain over a date as a `date[]`'s elements.
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

describe('PostgreSQL arrays of enums, domains, text search types and multiranges', () => {
  let fresh: FreshPg;
  let source: SourceConnector;
  beforeAll(async () => {
    fresh = await createPgDatabase();
    await fresh.client.query(`CREATE TYPE zt AS ENUM ('有效', '注销', 'a b')`);
    await fresh.client.query('CREATE DOMAIN bh AS char(6)');
    await fresh.client.query('CREATE DOMAIN bh2 AS bh');
    await fresh.client.query('CREATE DOMAIN rq AS date');
    await fresh.client.query(
      `CREATE TABLE lbx_ut (id int PRIMARY KEY, zt zt, ztl zt[], bhl bh[], bh2l bh2[], rql rq[],
         ss tsvector[], cx tsquery[], fw int4multirange[], rqfw datemultirange[])`,
    );
    await fresh.client.query(
      `INSERT INTO lbx_ut VALUES
         (1, '有效', '{有效,NULL,"a b"}', '{JY1,NULL}', '{{JY1},{JY2}}', '{2024-03-01,NULL}',
          ARRAY['a:1 b:2'::tsvector], ARRAY['a & b'::tsquery], ARRAY['{[1,3),[5,7)}'::int4multirange],
          ARRAY['{[2024-03-01,2024-04-01)}'::datemultirange]),
         (2, NULL, '{}', NULL, NULL, NULL, NULL, NULL, NULL, NULL)`,
    );
    source = await openSource('legacy', pgFamilyConfig('postgres', fresh.database), { logger: quiet });
  });
  afterAll(async () => {
    await source?.close();
    await fresh?.drop();
  });

  async function rows(query?: string): Promise<Record<string, SourceValue>[]> {
    const stream = query ? { table: 'q_ut', key: 'id', query } : { table: 'lbx_ut', key: 'id' };
    const pages = await readAll(source, stream, 10);
    return pages.flatMap((p) => p.rows.map((r) => r.values));
  }

  it("reads an enum's and a domain's array as JSON list text, each element as its lone value", async () => {
    const [one, two] = await rows();
    expect(one?.zt).toBe('有效');
    expect(one?.ztl).toBe('["有效",null,"a b"]');
    // char(6) padding trimmed as a text[]'s is under `trim: all`, through a domain over a domain.
    expect(one?.bhl).toBe('["JY1",null]');
    expect(one?.bh2l).toBe('[["JY1"],["JY2"]]');
    expect(one?.rql).toBe('["2024-03-01T00:00:00.000Z",null]');
    expect([two?.ztl, two?.bhl]).toEqual(['[]', null]);
  });

  it("reads tsvector[], tsquery[] and a multirange's array as JSON list text of the elements' text", async () => {
    const [one] = await rows();
    expect(one?.ss).toBe(`["'a':1 'b':2"]`);
    expect(one?.cx).toBe(`["'a' & 'b'"]`);
    expect(one?.fw).toBe('["{[1,3),[5,7)}"]');
    expect(one?.rqfw).toBe('["{[2024-03-01,2024-04-01)}"]');
  });

  it('maps an enum list with list, in a query stream too', async () => {
    const mapping = compileMappingText(
      ['fields:', '  surface.zt[]: { from: ZTL, transform: [list] }', ''].join('\n'),
      '/maps/user-type-lists.yaml',
    );
    const [one] = await rows('SELECT id, ztl, bhl FROM lbx_ut');
    expect(one?.bhl).toBe('["JY1",null]');
    expect(mapping.map({ ZTL: one?.ztl ?? null })).toMatchObject({
      ok: true,
      fields: { surface: { zt: ['有效', null, 'a b'] } },
    });
  });
});
