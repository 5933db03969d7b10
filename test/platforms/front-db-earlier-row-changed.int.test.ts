/**
 * A delivery sent again finds its row from an earlier send and compares it with what it writes
 * now (./front-db-myisam-cut-retry.int.test.ts). The same delivery writes the same row, save
 * where the target's `codes` (or the pipeline's seal) changed in between: then the row there is
 * not what this send would write, and the delivery is rejected for a person to look at, the row
 * left as it is, rather than answered accepted. Sent again unchanged, it is a duplicate, accepted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLUMNS } from '../../adapters/platforms/front-db/exchange-table.js';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import { cityExchangeTable, type FrontDbPlace, frontDbConfig, sqlitePlace } from './front-db-fixtures.js';
import { deliveryItem } from './license-fixture.js';

const TABLE = 'UP_LIC_DATA';

describe('front-db: a delivery sent again after its target changed what it writes', () => {
  let place: FrontDbPlace;
  const targets: FrontDbTarget[] = [];
  beforeAll(async () => {
    place = await sqlitePlace('lb-front-earlier');
    await cityExchangeTable(place.city, TABLE);
  });
  afterAll(async () => {
    for (const t of targets) await t.close();
    await place?.dispose();
  });
  const target = (codes?: { list: 'national-push' }) => {
    const t = new FrontDbTarget('city', frontDbConfig('sqlite', place.where, TABLE, codes ? { codes } : {}));
    targets.push(t);
    return t;
  };
  // A revocation: 07 in the national collection's operation codes, 05 in the push list's.
  const revoke = deliveryItem(1, { target: 'city', operation: 'revoke' });

  it('is a duplicate with the same codes, and rejected naming CZLX once they changed; the row is kept', async () => {
    expect((await target().deliver([revoke]))[0]).toMatchObject({ state: 'accepted' });
    expect((await target().deliver([revoke]))[0]).toMatchObject({
      state: 'accepted',
      receipt: { duplicate: true },
    });
    const [again] = await target({ list: 'national-push' }).deliver([revoke]);
    expect(again?.state).toBe('rejected');
    expect(again?.reasons?.join(' ')).toMatch(
      /exchange table UP_LIC_DATA holds this delivery's row from an earlier send \(BATCH_NO [0-9A-F]{32}\) with CZLX other than this send writes it .* written before the target's codes or the seal changed\); the row was left in the table/,
    );
    expect(await place.city(TABLE).select(COLUMNS.opCode)).toEqual([{ [COLUMNS.opCode]: '07' }]);
  });
});
