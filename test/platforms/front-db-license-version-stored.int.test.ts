/**
 * A license version larger than the city's `LICENSE_VERSION` column holds (a `TINYINT`, 127 at
 * most) on MySQL or MariaDB without strict mode: the row was stored with the largest number the
 * column holds, with only a warning, and answered accepted, the exchange system filing the license
 * under another version. The read-back compared the license's text columns, not `LICENSE_VERSION`,
 * and took a value the driver hands back as a number for the written one. It compares the version
 * now: such a row is taken out again and its delivery rejected, naming the column and the largest
 * number it holds. The column is narrowed after the target opened (the city's change while
 * licbridge runs), past what opening checks.
 */
import type { Knex } from 'knex';
import { describe, expect, it } from 'vitest';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import { cityExchangeTable, frontDbConfig, scratchPlaceForTests } from './front-db-fixtures.js';
import { deliveryItem } from './license-fixture.js';

const TABLE = 'UP_LIC_VERSION_TINY';
/** As `TABLE`, for a version it holds: each test narrows its own table after opening on it. */
const FITS = 'UP_LIC_VERSION_FITS';
/** Of an engine without transactions, whose deletes a trigger of the test's refuses while it is there. */
const MYISAM = 'UP_LIC_VERSION_MYISAM';

describe('front-db target on MariaDB without strict mode: LICENSE_VERSION stored other than written', () => {
  const scratch = scratchPlaceForTests('mysql', 'lb_version_stored', async (place) => {
    await cityExchangeTable(place.city, TABLE);
    await cityExchangeTable(place.city, FITS);
    await cityExchangeTable(place.city, MYISAM, `alter table ${MYISAM} engine = MyISAM`);
  });

  /** A target opened on the table as licbridge makes it, whose column the city then narrows. */
  const narrowedAfterOpen = async (table = TABLE) => {
    const target = scratch.closedAfter(
      new FrontDbTarget('city', frontDbConfig('mysql', scratch.place.where, table)),
    );
    // The target's one pooled connection (concurrency 1) opened, and made non-strict, as a city's server may be.
    const { k } = await (
      target as unknown as { connections: { take(): Promise<{ k: Knex }> } }
    ).connections.take();
    await k.raw("set session sql_mode = ''");
    await scratch.place.city.raw(`alter table ${table} modify LICENSE_VERSION tinyint not null`);
    return target;
  };

  it('rejects a version the column cannot hold, naming the column and the largest number it holds', async () => {
    const target = await narrowedAfterOpen();
    const item = deliveryItem(1, { target: 'city', version: 200 });

    const [out] = await target.deliver([item]);

    expect(out?.state).toBe('rejected');
    expect(String(out?.reasons)).toBe(
      `exchange table ${TABLE} stored LICENSE_VERSION as 127, the largest number its column holds, for a larger version (MySQL or MariaDB without strict mode stores a number too large for its column so, with only a warning): the exchange system would file the license under another version; the row was taken out again. licbridge writes versions from 1 to 999: widen the column to hold them (an INT), then replay the dead letter`,
    );
    expect(await scratch.place.city(TABLE).where({ DELIVERY_KEY: item.key })).toEqual([]);
  });

  it('accepts a version the column holds, handed back as a number', async () => {
    const target = await narrowedAfterOpen(FITS);
    const item = deliveryItem(2, { target: 'city', version: 100 });

    const [out] = await target.deliver([item]);

    expect(out?.state).toBe('accepted');
    const rows = await scratch.place.city(FITS).where({ DELIVERY_KEY: item.key });
    expect(rows.map((r: { LICENSE_VERSION: unknown }) => r.LICENSE_VERSION)).toEqual([100]);
  });

  it('rejects the retry of a send that left its clamped row in a table without transactions, leaving the row', async () => {
    const target = await narrowedAfterOpen(MYISAM);
    const item = deliveryItem(3, { target: 'city', version: 200 });
    const city = scratch.place.city;
    // The send's delete of its clamped row refused (as a login without DELETE is): the row stays.
    await city.raw(
      `create trigger ${MYISAM}_KEEP before delete on ${MYISAM} for each row signal sqlstate '45000' set message_text = 'kept'`,
    );
    expect(await target.deliver([item]).catch((e: unknown) => e)).toBeInstanceOf(Error);
    await city.raw(`drop trigger ${MYISAM}_KEEP`);
    const left = await city(MYISAM).select('BATCH_NO', 'LICENSE_VERSION').where({ DELIVERY_KEY: item.key });
    expect(left.map((r: { LICENSE_VERSION: unknown }) => r.LICENSE_VERSION)).toEqual([127]);

    const [out] = await target.deliver([item]);

    expect(out?.state).toBe('rejected');
    expect(String(out?.reasons)).toBe(
      `exchange table ${MYISAM} holds this delivery's row from an earlier send (BATCH_NO ${left[0]?.BATCH_NO}) with LICENSE_VERSION stored as 127, the largest number its column holds, for a larger version (by a send that failed before taking the row out); the row was left in the table, where the exchange system may have read it: check it there, and once the column holds the value (widened, or its character set fixed), delete the row and replay the dead letter`,
    );
    expect(
      await city(MYISAM).select('BATCH_NO', 'LICENSE_VERSION').where({ DELIVERY_KEY: item.key }),
    ).toEqual(left);
  });
});
