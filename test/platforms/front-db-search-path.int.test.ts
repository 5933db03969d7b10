/**
 * A PostgreSQL front database whose user has a schema of its own (search_path `"$user", public`)
 * and the exchange table in public: the writes find the table along the search_path, and so must
 * the check of its widths and of EXCHANGE_TIME's type. Read in the user's own schema alone, a
 * narrow BATCH_NO went unnoticed (every row then refused), as did a `timestamp` EXCHANGE_TIME.
 */
import { randomBytes } from 'node:crypto';
import knexModule, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureExchangeTable } from '../../adapters/platforms/front-db/exchange-table.js';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import { scratchPostgres } from './front-db-servers.js';

describe('front-db target on PostgreSQL: a table found along the search_path', () => {
  const db = `lb_spath_${randomBytes(4).toString('hex')}`;
  let city: Knex;
  let connection: Record<string, string | number>;
  const opened: FrontDbTarget[] = [];

  const target = (table: string) => {
    const t = new FrontDbTarget('city', {
      kind: 'front-db',
      client: 'postgres',
      connection,
      table,
      dataSource: '11370211MB1234567X',
      createTable: false,
      batchSize: 10,
      timeoutMs: 10_000,
      concurrency: 1,
      attempts: 3,
    });
    opened.push(t);
    return t;
  };

  beforeAll(async () => {
    connection = await scratchPostgres.create(db);
    city = knexModule({ client: 'pg', connection });
    await ensureExchangeTable(city, 'UP_LIC_NARROW');
    await city.raw('alter table "UP_LIC_NARROW" alter column "BATCH_NO" type varchar(20)');
    // The connecting user's own schema, first on the default search_path, holding no table.
    await city.raw(`create schema "${String(connection.user)}"`);
  });
  afterAll(async () => {
    await Promise.all(opened.map((t) => t.close()));
    await city?.destroy();
    await scratchPostgres.drop(db);
  });

  it('refuses a narrow BATCH_NO as the target opens', async () => {
    await expect(target('UP_LIC_NARROW').refuseUnfitTable()).rejects.toThrow(/BATCH_NO holds 20 characters/);
  });
});
