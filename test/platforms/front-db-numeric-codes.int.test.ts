/**
 * A city's exchange table whose CZLX and ZZZT are numeric columns (PostgreSQL `numeric`, MariaDB
 * `DECIMAL`): the code `01` is stored as the number 1, which these drivers hand back as the text
 * `1`. That is the code as written, not a row stored other than written.
 */
import { randomBytes } from 'node:crypto';
import knexModule, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrontDbTargetConfig } from '../../adapters/platforms/front-db/config.js';
import { ensureExchangeTable } from '../../adapters/platforms/front-db/exchange-table.js';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import { type ScratchServer, scratchMariaDb, scratchPostgres } from './front-db-servers.js';
import { deliveryItem } from './license-fixture.js';

const TABLE = 'UP_LIC_DATA';

const SERVERS: {
  name: string;
  client: FrontDbTargetConfig['client'];
  knexClient: string;
  server: ScratchServer;
  numeric(column: string): string;
}[] = [
  {
    name: 'PostgreSQL',
    client: 'postgres',
    knexClient: 'pg',
    server: scratchPostgres,
    numeric: (c) => `alter table "${TABLE}" alter column "${c}" type numeric(2) using "${c}"::numeric`,
  },
  {
    name: 'MariaDB',
    client: 'mysql',
    knexClient: 'mysql2',
    server: scratchMariaDb,
    numeric: (c) => `alter table ${TABLE} modify ${c} decimal(2,0) not null`,
  },
];

for (const s of SERVERS) {
  describe(`front-db target on ${s.name}: numeric CZLX and ZZZT columns`, () => {
    const db = `lb_numc_${randomBytes(4).toString('hex')}`;
    let city: Knex;
    let target: FrontDbTarget;

    beforeAll(async () => {
      const connection = await s.server.create(db);
      city = knexModule({ client: s.knexClient, connection });
      await ensureExchangeTable(city, TABLE);
      await city.raw(s.numeric('CZLX'));
      await city.raw(s.numeric('ZZZT'));
      target = new FrontDbTarget('city', {
        kind: 'front-db',
        client: s.client,
        connection,
        table: TABLE,
        dataSource: '11370211MB1234567X',
        createTable: false,
        batchSize: 100,
        timeoutMs: 10_000,
        concurrency: 1,
        attempts: 8,
      });
    });
    afterAll(async () => {
      await target?.close();
      await city?.destroy();
      await s.server.drop(db);
    });

    it('accepts a row whose codes the columns hold as numbers', async () => {
      const items = [1, 2].map((n) => deliveryItem(n, { target: 'city' }));
      const outcomes = await target.deliver(items);
      expect(outcomes.map((o) => [o.state, o.reasons])).toEqual([
        ['accepted', undefined],
        ['accepted', undefined],
      ]);
      const rows = await city(TABLE).select('DELIVERY_KEY');
      expect(rows).toHaveLength(2);
    });
  });
}
