/**
 * A city's exchange table whose `BATCH_NO` is a `CHAR` column wider than the 32-character batch
 * number (which the target accepts as it opens): PostgreSQL hands the batch number back padded. A
 * row this call wrote is no duplicate, and its receipt carries the batch number as written.
 */
import { randomBytes } from 'node:crypto';
import knexModule, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureExchangeTable } from '../../adapters/platforms/front-db/exchange-table.js';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import { scratchPostgres } from './front-db-servers.js';
import { deliveryItem } from './license-fixture.js';

describe('front-db target on PostgreSQL: a CHAR batch number column', () => {
  const db = `lb_padbatch_${randomBytes(4).toString('hex')}`;
  let city: Knex;
  let target: FrontDbTarget;

  beforeAll(async () => {
    const connection = await scratchPostgres.create(db);
    city = knexModule({ client: 'pg', connection });
    await ensureExchangeTable(city, 'UP_LIC_DATA');
    await city.raw('alter table "UP_LIC_DATA" alter column "BATCH_NO" type char(40)');
    target = new FrontDbTarget('city', {
      kind: 'front-db',
      client: 'postgres',
      connection,
      table: 'UP_LIC_DATA',
      dataSource: '11370211MB1234567X',
      createTable: false,
      batchSize: 10,
      timeoutMs: 10_000,
      concurrency: 1,
      attempts: 3,
    });
  });
  afterAll(async () => {
    await target?.close();
    await city?.destroy();
    await scratchPostgres.drop(db);
  });

  it('answers a written row as new and a replay as a duplicate', async () => {
    const items = [1, 2].map((n) => deliveryItem(n, { target: 'city' }));
    const first = await target.deliver(items);
    expect(first.map((o) => [o.state, o.receipt?.duplicate, String(o.receipt?.batchNo).length])).toEqual([
      ['accepted', false, 32],
      ['accepted', false, 32],
    ]);
    const again = await target.deliver(items);
    expect(again.map((o) => [o.state, o.receipt?.duplicate])).toEqual([
      ['accepted', true],
      ['accepted', true],
    ]);
  });
});
