/**
 * A `char(n)[]` column's elements, which PostgreSQL pads to n as it does a lone `char(n)`. Under
 * `trim: all` (or a `trim` list naming the column) a lone value loses its padding, but the list's
 * elements kept it: `{ab,cde}` in a `char(5)[]` went out as `["ab   ","cde  "]`, where the
 * column `char(5)` next to it read `ab`. Elements are now trimmed as the lone value is.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../config/types.js';
import { openSource } from '../../connectors/open-source.js';
import type { SourceValue } from '../../connectors/source.js';
import { createLogger } from '../../core/logger.js';
import { compileMappingText } from '../../mappings/compile.js';
import { readAll } from './conformance.js';
import { pgFamilyConfig } from './pg-family-fixture.js';
import { createPgDatabase, type FreshPg } from './servers.js';

const quiet = createLogger({ level: 'silent' });

describe('PostgreSQL char(n) lists under trim', () => {
  let fresh: FreshPg;
  beforeAll(async () => {
    fresh = await createPgDatabase();
    await fresh.client.query(
      'CREATE TABLE t_jyxm_char (id int PRIMARY KEY, dm char(5), lsdm char(5)[], ewdm char(4)[][], bz text[], wd jsonb)',
    );
    await fresh.client.query(
      `INSERT INTO t_jyxm_char VALUES
         (1, 'ab', '{ab,cde,NULL,"  x"}', '{{a,b},{cc,d}}', '{"备注  "}', '["甲  "]'),
         (2, NULL, '{}', NULL, NULL, NULL)`,
    );
  });
  afterAll(async () => {
    await fresh?.drop();
  });

  async function rows(trim: SourceConfig['trim']): Promise<Record<string, SourceValue>[]> {
    const source = await openSource('legacy', pgFamilyConfig('postgres', fresh.database, { trim }), {
      logger: quiet,
    });
    try {
      const pages = await readAll(source, { table: 't_jyxm_char', key: 'id' }, 10);
      return pages.flatMap((p) => p.rows.map((r) => r.values));
    } finally {
      await source.close();
    }
  }

  it('trims each element under trim: all, as the lone char(5) beside it', async () => {
    const [one, two] = await rows('all');
    expect(one?.dm).toBe('ab');
    expect(one?.lsdm).toBe('["ab","cde",null,"  x"]');
    expect(one?.ewdm).toBe('[["a","b"],["cc","d"]]');
    expect(two?.lsdm).toBe('[]');
  });

  it("trims a text[] element as a lone text value, and leaves a JSON document's list as stored", async () => {
    const [one] = await rows('all');
    expect(one?.bz).toBe('["备注"]');
    expect(one?.wd).toBe('["甲  "]');
  });

  it('trims the elements of a column the trim list names, and keeps the padding of one it does not', async () => {
    const [one] = await rows(['LSDM']);
    expect(one?.lsdm).toBe('["ab","cde",null,"  x"]');
    expect(one?.dm).toBe('ab   ');
    expect(one?.ewdm).toBe('[["a   ","b   "],["cc  ","d   "]]');
  });

  it('keeps the padding under trim: none, as the lone value keeps it', async () => {
    const [one] = await rows('none');
    expect(one?.dm).toBe('ab   ');
    expect(one?.lsdm).toBe('["ab   ","cde  ",null,"  x  "]');
  });

  it('writes the trimmed elements into the license, as the lone value is written', async () => {
    const [one] = await rows('all');
    const mapping = compileMappingText(
      'fields:\n  surface.dm: { from: DM }\n  surface.lsdm[]: { from: LSDM, transform: [list] }\n',
      '/maps/char-lists.yaml',
    );
    const out = mapping.map({ DM: one?.dm ?? null, LSDM: one?.lsdm ?? null });
    expect(out).toMatchObject({
      ok: true,
      fields: { surface: { dm: 'ab', lsdm: ['ab', 'cde', null, '  x'] } },
    });
  });
});
