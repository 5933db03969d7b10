/**
 * A city's `LICENSE_VERSION` column of a type that cannot hold the versions licbridge writes (1 to
 * 999, a GB/T 36904 identifier's 3 digits): a `TINYINT`, a `DECIMAL(2,0)`, a `VARCHAR(2)`. Every
 * version past its limit was refused, or on MySQL and MariaDB without strict mode stored as the
 * largest number the column holds (or cut) and answered accepted, the exchange system filing the
 * license under another version. The column's type is read as the target opens, for the other
 * columns: such a column is refused then, naming the column, its type and what it holds, before
 * anything is queued; a column that holds 999 opens as before.
 */
import { describe, expect, it } from 'vitest';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import { ErrorCodes } from '../../core/errors.js';
import { cityExchangeTable, frontDbConfig, scratchPlaceForTests } from './front-db-fixtures.js';
import { deliveryItem } from './license-fixture.js';

/** Each narrow column's type as declared, and as the refusal names it with what it holds. */
const NARROW = [
  { table: 'UP_LIC_V_TINY', type: 'tinyint', named: 'a tinyint, which holds no number above 255' },
  { table: 'UP_LIC_V_UTINY', type: 'tinyint unsigned', named: 'a tinyint, which holds no number above 255' },
  { table: 'UP_LIC_V_DEC2', type: 'decimal(2,0)', named: 'a decimal(2,0), which holds no number above 99' },
  { table: 'UP_LIC_V_DEC42', type: 'decimal(4,2)', named: 'a decimal(4,2), which holds no number above 99' },
  {
    table: 'UP_LIC_V_CHAR2',
    type: 'varchar(2)',
    named: 'a varchar of 2 characters, which holds no number above 99',
  },
] as const;
/** Columns that hold every version licbridge writes. */
const WIDE = [
  { table: 'UP_LIC_V_SMALL', type: 'smallint' },
  { table: 'UP_LIC_V_DEC3', type: 'decimal(3,0)' },
  { table: 'UP_LIC_V_CHAR3', type: 'varchar(3)' },
] as const;

const withVersion = (table: string, type: string) =>
  `alter table ${table} modify LICENSE_VERSION ${type} not null`;

describe('front-db target on MariaDB: opening on a LICENSE_VERSION column too narrow for a version', () => {
  const scratch = scratchPlaceForTests('mysql', 'lb_version_open', async (place) => {
    for (const { table, type } of [...NARROW, ...WIDE])
      await cityExchangeTable(place.city, table, withVersion(table, type));
  });
  const target = (table: string) =>
    scratch.closedAfter(new FrontDbTarget('city', frontDbConfig('mysql', scratch.place.where, table)));

  for (const { table, type, named } of NARROW) {
    it(`refuses a ${type} column as it opens, and at config check --connect`, async () => {
      const message = `target city: column LICENSE_VERSION of exchange table ${table} is ${named}, and licbridge writes versions from 1 to 999: a larger one would be refused, or stored as another number (MySQL and MariaDB without strict mode); widen the column (an INT); nothing was delivered`;
      await expect(target(table).refuseUnfitTable()).rejects.toMatchObject({
        code: ErrorCodes.CONFIG_INVALID,
        message,
      });
      await expect(target(table).checkConnection()).rejects.toMatchObject({
        code: ErrorCodes.CONFIG_INVALID,
        message,
      });
    });
  }

  WIDE.forEach(({ table, type }, n) => {
    it(`opens on a ${type} column, and takes version 999`, async () => {
      const t = target(table);
      await t.refuseUnfitTable();
      const item = deliveryItem(n + 1, { target: 'city', version: 999 });

      const [out] = await t.deliver([item]);

      expect(out?.state).toBe('accepted');
      const rows = await scratch.place.city(table).where({ DELIVERY_KEY: item.key });
      expect(rows.map((r: { LICENSE_VERSION: unknown }) => String(r.LICENSE_VERSION))).toEqual(['999']);
    });
  });
});

describe('front-db target on PostgreSQL: opening on a LICENSE_VERSION column too narrow for a version', () => {
  const TABLE = 'UP_LIC_V_NUMERIC2';
  const scratch = scratchPlaceForTests('postgres', 'lb_version_open', async (place) => {
    await cityExchangeTable(
      place.city,
      TABLE,
      `alter table "${TABLE}" alter column "LICENSE_VERSION" type numeric(2,0)`,
    );
  });

  it('refuses a numeric(2,0) column as it opens', async () => {
    const t = scratch.closedAfter(
      new FrontDbTarget('city', frontDbConfig('postgres', scratch.place.where, TABLE)),
    );
    await expect(t.refuseUnfitTable()).rejects.toMatchObject({
      code: ErrorCodes.CONFIG_INVALID,
      message: expect.stringContaining(
        `column LICENSE_VERSION of exchange table ${TABLE} is a numeric(2,0), which holds no number above 99`,
      ),
    });
  });
});
