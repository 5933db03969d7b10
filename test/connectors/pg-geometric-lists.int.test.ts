/**
 * PostgreSQL's geometric arrays (`point[]`, `lseg[]`, `path[]`, `box[]`, `polygon[]`, `line[]`,
 * `circle[]`) reach the mappings as lists, each element in the shape its type's lone value does, as
 * every other array does. node-postgres parses a `point[]` and no other: the rest came as the
 * server's array text, `{"<(1,2),3>"}`, which `list` refused as no JSON. A `box[]` is written with
 * `;` between its elements (pg_type.typdelim), as a box's text holds commas: `{(1,1),(0,0);(3,3),(2,2)}`.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { SourceValue } from '../../connectors/source.js';
import { readAll } from './conformance.js';
import { freshPgSource } from './pg-fresh-source.js';

describe('PostgreSQL geometric arrays', () => {
  const db = freshPgSource(async (fresh) => {
    await fresh.client.query(
      `CREATE TABLE lbx_geo (id int PRIMARY KEY, d point, dl point[], xd lseg, xdl lseg[], lj path,
         ljl path[], fk box, fkl box[], fkw box[], fkd box[], dbx polygon, dbxl polygon[], zx line, zxl line[],
         yx circle, yxl circle[])`,
    );
    await fresh.client.query(
      `INSERT INTO lbx_geo VALUES (1,
         '(1,2)', ARRAY['(1,2)', NULL, '(-0.5,3e20)']::point[],
         '[(0,0),(1,1)]', ARRAY['[(0,0),(1,1)]', NULL]::lseg[],
         '[(0,0),(1,1)]', ARRAY['((0,0),(1,1),(2,0))', '[(0,0),(1,1)]']::path[],
         '(1,1),(0,0)', ARRAY['(1,1),(0,0)', NULL, '(3,3),(2,2)']::box[],
         ARRAY[ARRAY['(1,1),(0,0)'], ARRAY['(2,2),(1,1)']]::box[], '[0:1]={(1,1),(0,0);NULL}',
         '((0,0),(1,1),(2,0))', ARRAY['((0,0),(1,1),(2,0))']::polygon[],
         '{1,-1,0}', ARRAY['{1,-1,0}', NULL]::line[],
         '<(1,2),3>', ARRAY['<(1,2),3>', NULL, '<(0,0),0.5>']::circle[])`,
    );
  });
  let row: Record<string, SourceValue> = {};
  beforeAll(async () => {
    const pages = await readAll(db.source, { table: 'lbx_geo', key: 'id' }, 10);
    row = pages[0]?.rows[0]?.values ?? {};
  });

  function list(value: SourceValue | undefined): unknown {
    return JSON.parse(String(value));
  }

  it('reads a point list and a circle list as lists of the lone values', () => {
    expect([list(row.d), list(row.yx)]).toEqual([
      { x: 1, y: 2 },
      { x: 1, y: 2, radius: 3 },
    ]);
    expect(list(row.dl)).toEqual([{ x: 1, y: 2 }, null, { x: -0.5, y: 3e20 }]);
    expect(list(row.yxl)).toEqual([{ x: 1, y: 2, radius: 3 }, null, { x: 0, y: 0, radius: 0.5 }]);
  });

  it('reads a box list, written with semicolons, as a list of the lone boxes', () => {
    expect(row.fk).toBe('(1,1),(0,0)');
    expect(list(row.fkl)).toEqual(['(1,1),(0,0)', null, '(3,3),(2,2)']);
    expect(list(row.fkw)).toEqual([['(1,1),(0,0)'], ['(2,2),(1,1)']]);
    expect(list(row.fkd)).toEqual(['(1,1),(0,0)', null]);
  });

  it('reads segment, path, polygon and line lists as lists of the lone values', () => {
    expect([row.xd, row.lj, row.dbx, row.zx]).toEqual([
      '[(0,0),(1,1)]',
      '[(0,0),(1,1)]',
      '((0,0),(1,1),(2,0))',
      '{1,-1,0}',
    ]);
    expect(list(row.xdl)).toEqual(['[(0,0),(1,1)]', null]);
    expect(list(row.ljl)).toEqual(['((0,0),(1,1),(2,0))', '[(0,0),(1,1)]']);
    expect(list(row.dbxl)).toEqual(['((0,0),(1,1),(2,0))']);
    expect(list(row.zxl)).toEqual(['{1,-1,0}', null]);
  });
});
