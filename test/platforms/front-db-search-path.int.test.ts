/**
 * A PostgreSQL front database whose user has a schema of its own (search_path `"$user", public`)
 * and the exchange table in public: the writes find the table along the search_path, and so must
 * the check of its widths and of EXCHANGE_TIME's type. Read in the user's own schema alone, a
 * narrow BATCH_NO went unnoticed (every row then refused), as did a `timestamp` EXCHANGE_TIME.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import { cityExchangeTable, frontDbConfig, type ScratchPlace, scratchPlace } from './front-db-fixtures.js';

describe('front-db target on PostgreSQL: a table found along the search_path', () => {
  let place: ScratchPlace;
  const opened: FrontDbTarget[] = [];

  const target = (table: string) => {
    const t = new FrontDbTarget('city', frontDbConfig('postgres', place.where, table));
    opened.push(t);
    return t;
  };

  beforeAll(async () => {
    place = await scratchPlace('postgres', 'lb_spath');
    await cityExchangeTable(
      place.city,
      'UP_LIC_NARROW',
      'alter table "UP_LIC_NARROW" alter column "BATCH_NO" type varchar(20)',
    );
    // The connecting user's own schema, first on the default search_path, holding no table.
    await place.city.raw(`create schema "${String(place.connection.user)}"`);
  });
  afterAll(async () => {
    await Promise.all(opened.map((t) => t.close()));
    await place?.dispose();
  });

  it('refuses a narrow BATCH_NO as the target opens', async () => {
    await expect(target('UP_LIC_NARROW').refuseUnfitTable()).rejects.toThrow(/BATCH_NO holds 20 characters/);
  });
});

/**
 * KingbaseES finds a table along its search_path as PostgreSQL does; knex read its columns in
 * current_schema() alone. No KingbaseES server runs here: a PostgreSQL database stands in, with
 * KingbaseES's catalog names (`sys_class`, `sys_namespace`) as views of PostgreSQL's.
 */
describe('front-db target on KingbaseES: a table found along the search_path', () => {
  let place: ScratchPlace;
  const opened: FrontDbTarget[] = [];

  beforeAll(async () => {
    place = await scratchPlace('postgres', 'lb_kspath');
    await cityExchangeTable(
      place.city,
      'UP_LIC_NARROW',
      'alter table "UP_LIC_NARROW" alter column "BATCH_NO" type varchar(20)',
    );
    await place.city.raw('create view public.sys_class as select * from pg_catalog.pg_class');
    await place.city.raw('create view public.sys_namespace as select * from pg_catalog.pg_namespace');
    await place.city.raw(`create schema "${String(place.connection.user)}"`);
  });
  afterAll(async () => {
    await Promise.all(opened.map((t) => t.close()));
    await place?.dispose();
  });

  it('refuses a narrow BATCH_NO as the target opens', async () => {
    const t = new FrontDbTarget('city', frontDbConfig('kingbase', place.where, 'UP_LIC_NARROW'));
    opened.push(t);
    await expect(t.refuseUnfitTable()).rejects.toThrow(/BATCH_NO holds 20 characters/);
  });
});
