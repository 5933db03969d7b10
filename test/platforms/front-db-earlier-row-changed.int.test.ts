/**
 * A delivery sent again finds its row from an earlier send and compares it with what it writes
 * now (./front-db-myisam-cut-retry.int.test.ts). The same delivery writes the same row, save
 * where the target's `codes` (or the pipeline's seal, or the payload's layout) changed in between:
 * that row is the earlier send's, complete, and the delivery is its duplicate, the columns that
 * differ named in the receipt. Rejected, every such delivery sent again after the change waited
 * for a person, with nothing to fix. A row stored cut, or with `?` for characters, is rejected
 * and left in the table — also when the codes changed since.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { COLUMNS } from '../../adapters/platforms/front-db/exchange-table.js';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import type { DeliveryItem } from '../../adapters/platforms/target.js';
import { cityExchangeTable, type FrontDbPlace, frontDbConfig, sqlitePlace } from './front-db-fixtures.js';
import { deliveryItem, HOLDER_ID, HOLDER_NAME } from './license-fixture.js';

const TABLE = 'UP_LIC_DATA';

describe('front-db: a delivery sent again after its target changed what it writes', () => {
  let place: FrontDbPlace;
  const targets: FrontDbTarget[] = [];
  beforeAll(async () => {
    place = await sqlitePlace('lb-front-earlier');
    await cityExchangeTable(place.city, TABLE);
  });
  beforeEach(async () => {
    await place.city(TABLE).delete();
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
  const push = { list: 'national-push' } as const;
  // A revocation: 07 in the national collection's operation codes, 05 in the push list's.
  const revoke = deliveryItem(1, { target: 'city', operation: 'revoke' });
  const stored = () => place.city(TABLE).select(COLUMNS.opCode, COLUMNS.payload, COLUMNS.signature);

  const expectRejectedInPlace = (outcome: Awaited<ReturnType<FrontDbTarget['deliver']>>[0] | undefined) => {
    expect(outcome?.state).toBe('rejected');
    const reason = outcome?.reasons?.join(' ') ?? '';
    expect(reason).toMatch(
      /^exchange table UP_LIC_DATA holds this delivery's row from an earlier send \(BATCH_NO [0-9A-F]{32}\) with PAYLOAD as a cut to its column, or characters its character set lacks replaced, leave it .*; the row was left in the table/,
    );
    for (const personal of [HOLDER_NAME, HOLDER_ID]) expect(reason).not.toContain(personal);
  };

  it('is a duplicate with the same codes, and with changed codes, naming CZLX and PAYLOAD in the receipt; the row is kept', async () => {
    expect((await target().deliver([revoke]))[0]).toMatchObject({ state: 'accepted' });
    const same = (await target().deliver([revoke]))[0];
    expect(same).toMatchObject({ state: 'accepted', receipt: { duplicate: true } });
    expect(same?.receipt).not.toHaveProperty('earlierRowDiffers');
    const [again] = await target(push).deliver([revoke]);
    expect(again).toMatchObject({
      state: 'accepted',
      receipt: { duplicate: true, earlierRowDiffers: [COLUMNS.opCode, COLUMNS.payload] },
    });
    expect((await stored()).map((r) => r[COLUMNS.opCode])).toEqual(['07']);
  });

  it("is a duplicate after the seal changed, naming SIGNATURE; the earlier seal's signature is kept", async () => {
    expect((await target().deliver([revoke]))[0]).toMatchObject({ state: 'accepted' });
    const resealed: DeliveryItem = {
      ...revoke,
      signature: { ...revoke.signature, value: `30450221${'ef'.repeat(33)}`, sealId: 'seal-02' },
    };
    const [again] = await target().deliver([resealed]);
    expect(again).toMatchObject({
      state: 'accepted',
      receipt: { duplicate: true, earlierRowDiffers: [COLUMNS.signature] },
    });
    expect((await stored()).map((r) => JSON.parse(String(r[COLUMNS.signature])).sealId)).toEqual(['seal-01']);
  });

  for (const [what, change] of [
    ["with `?` for the holder's name", (p: string) => p.replace(HOLDER_NAME, '????')],
    ['cut', (p: string) => p.slice(0, 60)],
  ] as const) {
    it(`is rejected when the earlier row was stored ${what}, with the same codes or changed ones; the row is left`, async () => {
      expect((await target().deliver([revoke]))[0]).toMatchObject({ state: 'accepted' });
      // The earlier send's row as a database that lost part of it leaves it.
      const left = change(String((await stored())[0]?.[COLUMNS.payload]));
      await place
        .city(TABLE)
        .update({ [COLUMNS.payload]: left })
        .where(COLUMNS.key, revoke.key);
      expectRejectedInPlace((await target().deliver([revoke]))[0]);
      expectRejectedInPlace((await target(push).deliver([revoke]))[0]);
      expect((await stored()).map((r) => [r[COLUMNS.opCode], r[COLUMNS.payload]])).toEqual([['07', left]]);
    });
  }
});
