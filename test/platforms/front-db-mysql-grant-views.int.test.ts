/**
 * `config check --connect` on MySQL/MariaDB with a view as the exchange table. The server prepares
 * a send's statements through the view only when the view can take them: one that joins or groups
 * is not insertable-into (ER_NON_INSERTABLE_TABLE), and one whose definer may not write the table
 * beneath it is refused (ER_VIEW_INVALID). Either failed the check as `reaching the front database
 * failed (…)`, an unreachable database (retryable), where the config names a table no send can
 * write: the check now says so, naming the target and the view.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLUMNS } from '../../adapters/platforms/front-db/exchange-table.js';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import { cityExchangeTable, frontDbConfig, type ScratchPlace, scratchPlace } from './front-db-fixtures.js';
import { scratchMariaDb } from './front-db-servers.js';
import { deliveryItem } from './license-fixture.js';

describe('config check --connect on MariaDB: a view as the exchange table', () => {
  const suffix = randomBytes(4).toString('hex');
  const user = `lb_mv_user_${suffix}`;
  const reader = `lb_mv_reader_${suffix}`;
  const columns = Object.values(COLUMNS).join(', ');
  let place: ScratchPlace;

  beforeAll(async () => {
    place = await scratchPlace('mysql', 'lb_mview');
    const db = String(place.connection.database);
    await cityExchangeTable(place.city, 'UP_LIC_BASE');
    const run = (sql: string) => scratchMariaDb.query(db, sql);
    await run(`create user '${user}'@'%'`);
    await run(`create user '${reader}'@'%'`);
    await run(`grant select on \`${db}\`.UP_LIC_BASE to '${reader}'@'%'`);
    // Written through by the user; the table beneath written as the definer may.
    await run(`create definer = current_user view UP_LIC_VIEW as select ${columns} from UP_LIC_BASE`);
    await run(
      `create definer = '${reader}'@'%' sql security definer view UP_LIC_READER as select ${columns} from UP_LIC_BASE`,
    );
    await run(
      `create view UP_LIC_GROUPED as select ${Object.values(COLUMNS)
        .map((c) => `max(${c}) as ${c}`)
        .join(', ')} from UP_LIC_BASE group by ${COLUMNS.key}`,
    );
    for (const view of ['UP_LIC_VIEW', 'UP_LIC_READER', 'UP_LIC_GROUPED'])
      await run(`grant select, insert, update, delete on \`${db}\`.${view} to '${user}'@'%'`);
  });
  afterAll(async () => {
    await place?.dispose();
    for (const u of [user, reader]) await scratchMariaDb.query('test', `drop user if exists '${u}'@'%'`);
  });

  const targetAs = (table: string): FrontDbTarget =>
    new FrontDbTarget('city', frontDbConfig('mysql', { connection: { ...place.connection, user } }, table));
  const checked = async (table: string): Promise<unknown> => {
    const target = targetAs(table);
    try {
      return await target.checkConnection().catch((e: unknown) => e);
    } finally {
      await target.close();
    }
  };
  const sent = async (table: string, n: number): Promise<unknown> => {
    const target = targetAs(table);
    try {
      return await target.deliver([deliveryItem(n, { target: 'city' })]).catch((e: unknown) => e);
    } finally {
      await target.close();
    }
  };

  it('a view the user may write, of one table its definer may write, passes and takes the sends', async () => {
    expect(await checked('UP_LIC_VIEW')).toBeUndefined();
    expect(await sent('UP_LIC_VIEW', 1)).toMatchObject([{ state: 'accepted' }]);
  });

  it("a view whose definer may not write the table beneath is refused, naming the view and its definer's grants", async () => {
    expect(await sent('UP_LIC_READER', 2)).toMatchObject({
      message: 'target city: writing exchange table UP_LIC_READER failed (ER_VIEW_INVALID)',
    });
    expect(await checked('UP_LIC_READER')).toMatchObject({
      code: 'LB_CONFIG_INVALID',
      message:
        "target city: exchange table UP_LIC_READER is a view the front database will not write through (ER_VIEW_INVALID: its definer, or with SQL SECURITY INVOKER the user in `targets.city.connection`, may not write the tables it reads, or one of them or of their columns is gone): grant the view's definer what a send needs on those tables, or name the table itself in `targets.city.table`; every send would fail",
    });
  });

  it('a view that groups is refused as not insertable-into, naming it', async () => {
    expect(await checked('UP_LIC_GROUPED')).toMatchObject({
      code: 'LB_CONFIG_INVALID',
      message:
        'target city: exchange table UP_LIC_GROUPED is a view the front database will not write through (ER_NON_INSERTABLE_TABLE: a view that joins, groups or computes its columns takes no rows): name a table, or a view of one table and its columns as they are, in `targets.city.table`; every send would fail',
    });
  });
});
