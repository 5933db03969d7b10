/**
 * A trigger on the city's exchange table that changes a row as it is stored, without an error
 * (a city translating codes into its own, a trigger that files rows elsewhere). The send compares
 * what was stored with what it wrote (./front-db-stored-differently.int.test.ts): a row rewritten
 * is taken out again and its delivery rejected, as a row stored cut is — but the reason said the
 * value was "cut to its column, or characters its character set lacks replaced", sending a person
 * to widen columns that were wide enough. It now says the table rewrote it. A trigger that keeps no
 * row (a PostgreSQL BEFORE trigger returning NULL) left "exchange row not found after insert" alone;
 * the reason now names what on the table does that.
 */
import { describe, expect, it } from 'vitest';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import { cityExchangeTable, frontDbConfig, scratchPlaceForTests } from './front-db-fixtures.js';
import { deliveryItem, HOLDER_ID, HOLDER_NAME } from './license-fixture.js';

describe('front-db target on MariaDB: a trigger rewriting CZLX as rows are stored', () => {
  const scratch = scratchPlaceForTests('mysql', 'lb_trg', async (place) => {
    await cityExchangeTable(place.city, 'UP_LIC_TRG');
    await place.city.raw(
      `create trigger UP_LIC_TRG_CODES before insert on UP_LIC_TRG for each row
       set NEW.CZLX = concat('C', NEW.CZLX)`,
    );
  });

  it('rejects the delivery saying the table rewrote the column, and keeps no row', async () => {
    const target = scratch.closedAfter(
      new FrontDbTarget('city', frontDbConfig('mysql', scratch.place.where, 'UP_LIC_TRG')),
    );
    const [out] = await target.deliver([deliveryItem(1, { target: 'city' })]);
    expect(out?.state).toBe('rejected');
    const reason = String(out?.reasons);
    expect(reason).toMatch(
      /^exchange table UP_LIC_TRG stored CZLX other than written, and not as a cut to its column or a character its character set lacks would: something on the table \(a trigger, a rule\) rewrites it as it is stored; the row was taken out again/,
    );
    expect(reason).not.toContain('(cut to its column');
    for (const personal of [HOLDER_NAME, HOLDER_ID]) expect(reason).not.toContain(personal);
    expect(await scratch.place.city('UP_LIC_TRG').count({ n: '*' })).toEqual([{ n: 0 }]);
  });
});

describe('front-db target on PostgreSQL: a trigger that keeps no row', () => {
  const scratch = scratchPlaceForTests('postgres', 'lb_trg', async (place) => {
    await cityExchangeTable(
      place.city,
      'UP_LIC_TRG',
      `create function up_lic_elsewhere() returns trigger language plpgsql as $$
       begin return null; end $$`,
      `create trigger up_lic_elsewhere before insert on "UP_LIC_TRG" for each row execute function up_lic_elsewhere()`,
    );
  });

  it('fails the delivery naming what on the table keeps no row', async () => {
    const target = scratch.closedAfter(
      new FrontDbTarget('city', frontDbConfig('postgres', scratch.place.where, 'UP_LIC_TRG')),
    );
    const [out] = await target.deliver([deliveryItem(1, { target: 'city' })]);
    expect(out).toMatchObject({ state: 'failed', retryable: true });
    expect(String(out?.reasons)).toBe(
      'target city: exchange row not found after insert into UP_LIC_TRG (looked up by DELIVERY_KEY): the database took the insert without an error, so something on the table drops the row, moves it elsewhere or rewrites its DELIVERY_KEY (a trigger, a rule)',
    );
  });
});
