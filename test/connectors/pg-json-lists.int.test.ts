/**
 * A PostgreSQL `jsonb[]` or `json[]` column (the items of a licence kept as a list of JSON
 * documents). A lone JSON value keeps every digit of a number a double cannot hold
 * (connectors/sql/json-text.ts); the elements of a list went through node-postgres' JSON.parse:
 * a 20-digit serial `12345678901234567890` inside one reached the mappings as
 * `12345678901234567000`, another serial. Each element now keeps its numbers as the database
 * wrote them; a list that loses no digit reads as before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../../connectors/open-source.js';
import type { SourceConnector, SourceValue } from '../../connectors/source.js';
import { createLogger } from '../../core/logger.js';
import { readAll } from './conformance.js';
import { pgFamilyConfig } from './pg-family-fixture.js';
import { createPgDatabase, type FreshPg } from './servers.js';

const quiet = createLogger({ level: 'silent' });

describe('PostgreSQL JSON lists', () => {
  let fresh: FreshPg;
  let source: SourceConnector;
  beforeAll(async () => {
    fresh = await createPgDatabase();
    await fresh.client.query('CREATE TABLE t_xm (id int PRIMARY KEY, xmb jsonb[], xm json[], xm2 jsonb[][])');
    await fresh.client.query(
      `INSERT INTO t_xm VALUES
         (1, ARRAY['{"xh": 12345678901234567890, "mc": "甲"}'::jsonb, NULL, '0.1'::jsonb],
             ARRAY['{"xh":  12345678901234567890.5 }'::json, '"乙"'::json],
             ARRAY[ARRAY['1'::jsonb, '98765432109876543210'::jsonb], ARRAY['[2, 3]'::jsonb, 'null'::jsonb]]),
         (2, ARRAY['{"xh": 42, "mc": "丙"}'::jsonb, '[1.5, true]'::jsonb], '{}', NULL),
         (3, NULL, NULL, NULL)`,
    );
    source = await openSource('legacy', pgFamilyConfig('postgres', fresh.database), { logger: quiet });
  });
  afterAll(async () => {
    await source?.close();
    await fresh?.drop();
  });

  async function rows(): Promise<Record<string, SourceValue>[]> {
    const pages = await readAll(source, { table: 't_xm', key: 'id' }, 10);
    return pages.flatMap((p) => p.rows.map((r) => r.values));
  }

  it('keeps every digit of a number inside an element, in lists of one or two dimensions', async () => {
    const [one] = await rows();
    expect(one?.xmb).toBe('[{"mc":"甲","xh":12345678901234567890},null,0.1]');
    expect(one?.xm).toBe('[{"xh":12345678901234567890.5},"乙"]');
    expect(one?.xm2).toBe('[[1,98765432109876543210],[[2,3],null]]');
  });

  it('reads a list that loses no digit as before', async () => {
    const [, two, three] = await rows();
    expect(two?.xmb).toBe('[{"mc":"丙","xh":42},[1.5,true]]');
    expect(two?.xm).toBe('[]');
    expect(three?.xmb).toBeNull();
  });
});
