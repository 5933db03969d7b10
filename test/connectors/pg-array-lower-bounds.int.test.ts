/**
 * PostgreSQL arrays whose lower bound is not 1 (`'[0:2]={a,b,c}'`). node-postgres reads the
 * elements and drops the bounds: the list is `["a","b","c"]`, as `{a,b,c}` is. The mappings never
 * take an element by its subscript: `list` keeps the elements' order, and rules zipping two lists
 * pair them by position, as PostgreSQL's own `unnest(a, b)` does whatever the bounds; so nothing a
 * mapping writes depends on the bound, and such a value is read, not refused (docs/connectors.md).
 */
import { describe, expect, it } from 'vitest';
import type { SourceValue } from '../../connectors/source.js';
import { compileMappingText } from '../../mappings/compile.js';
import { readAll } from './conformance.js';
import { freshPgSource } from './pg-fresh-source.js';

const mapping = compileMappingText(
  [
    'fields:',
    '  surface.items[].name: { from: XMMC, transform: [list] }',
    '  surface.items[].code: { from: XMDM, transform: [list] }',
    '',
  ].join('\n'),
  '/maps/lower-bounds.yaml',
);

describe('PostgreSQL arrays with a lower bound other than 1', () => {
  const db = freshPgSource(async (fresh) => {
    await fresh.client.query(
      'CREATE TABLE lbx_bounds (id int PRIMARY KEY, xmmc text[], xmdm int[], qt text[])',
    );
    await fresh.client.query(
      `INSERT INTO lbx_bounds VALUES
         (1, '[0:2]={a,b,c}', '{7,8,9}', '[0:1][2:3]={{a,b},{c,d}}'),
         (2, '{a,b,c}', '[-1:1]={7,8,9}', '{{a,b},{c,d}}')`,
    );
  });

  async function rows(): Promise<Record<string, SourceValue>[]> {
    const pages = await readAll(db.source, { table: 'lbx_bounds', key: 'id' }, 10);
    return pages.flatMap((p) => p.rows.map((r) => r.values));
  }

  it('reads the elements in order, the bounds dropped, in each dimension', async () => {
    const [one, two] = await rows();
    expect([one?.xmmc, one?.xmdm, one?.qt]).toEqual(['["a","b","c"]', '[7,8,9]', '[["a","b"],["c","d"]]']);
    expect([two?.xmmc, two?.xmdm, two?.qt]).toEqual(['["a","b","c"]', '[7,8,9]', '[["a","b"],["c","d"]]']);
  });

  it("zips two lists by position, as the server's unnest(a, b) pairs them", async () => {
    const paired = await db.fresh.client.query<{ id: number; name: string; code: number }>(
      'SELECT id, u.name, u.code FROM lbx_bounds, unnest(xmmc, xmdm) AS u(name, code) ORDER BY id',
    );
    expect(paired.rows.map((r) => `${r.name}${r.code}`)).toEqual(['a7', 'b8', 'c9', 'a7', 'b8', 'c9']);
    const [one, two] = await rows();
    for (const [n, row] of [one, two].entries()) {
      const out = mapping.map({ XMMC: row?.xmmc ?? null, XMDM: row?.xmdm ?? null });
      const sql = paired.rows.filter((r) => r.id === n + 1).map((r) => ({ name: r.name, code: r.code }));
      expect(out).toMatchObject({ ok: true, fields: { surface: { items: sql } } });
    }
  });
});
