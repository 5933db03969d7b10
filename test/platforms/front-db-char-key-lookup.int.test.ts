/**
 * Lookups by key on an exchange table whose `DELIVERY_KEY` holds each key padded to its width and
 * compares it with the bound key exactly, as Oracle compares a `CHAR` column with a `VARCHAR2`
 * bind. Played on PostgreSQL by a `varchar` column (compared without blank-padding) that a trigger
 * pads as Oracle stores a `CHAR`: with the keys bound padded to the width, each written row is
 * found as its own, its code polled, a refused row taken out before its key is written again.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readExchangeStates } from '../../adapters/platforms/front-db/exchange-status.js';
import type { StatementDeadline } from '../../adapters/platforms/front-db/insert-new-keys.js';
import { writeBatch } from '../../adapters/platforms/front-db/write-batch.js';
import { cityExchangeTable, exchangeRow, type ScratchPlace, scratchPlace } from './front-db-fixtures.js';

const TABLE = 'UP_LIC_CHARKEY';
const WIDTH = 200;
const deadline: StatementDeadline = { remainingMs: () => 10_000, cancel: true };
const codes = { accepted: ['1'], rejected: ['9'] };

describe('front-db: lookups by a key stored padded and compared unpadded (Oracle CHAR)', () => {
  let place: ScratchPlace;
  let city: Knex;

  const write = (keys: string[], batch: string, keyPadTo?: number) =>
    writeBatch(
      city,
      keys.map((key) => ({ ...exchangeRow(key, batch), EXCHANGE_TIME: '2026-12-01T10:00:00.000Z' })),
      {
        target: 'city',
        table: TABLE,
        write: {
          style: 'ignore',
          chunk: 50,
          deadline,
          batch,
          refusedCodes: codes.rejected,
          ...(keyPadTo === undefined ? {} : { keyPadTo }),
        },
        exchange: codes,
        statusIsNumber: false,
      },
    );

  beforeAll(async () => {
    place = await scratchPlace('postgres', 'lb_charkey');
    city = place.city;
    await cityExchangeTable(
      city,
      TABLE,
      `create function pad_key_as_char() returns trigger language plpgsql as $$
       begin
         NEW."DELIVERY_KEY" := rpad(NEW."DELIVERY_KEY", ${WIDTH});
         return NEW;
       end $$`,
      `create trigger pad_key_as_char before insert on "${TABLE}" for each row execute function pad_key_as_char()`,
    );
  });
  afterAll(async () => {
    await place?.dispose();
  });

  it('finds nothing with the key bound as it is', async () => {
    const out = await write(['A1'], 'B0');
    expect([...out.values()].map((o) => [o.state, String(o.reasons)])).toEqual([
      [
        'failed',
        `target city: exchange row not found after insert into ${TABLE} (looked up by DELIVERY_KEY): the database took the insert without an error, so something on the table drops the row, moves it elsewhere or rewrites its DELIVERY_KEY (a trigger, a rule)`,
      ],
    ]);
  });

  it('finds each row written, polls its code, and writes a refused key anew', async () => {
    const first = await write(['K1', 'K2'], 'B1', WIDTH);
    expect([...first.values()].map((o) => [o.key, o.state, o.receipt?.duplicate])).toEqual([
      ['K1', 'submitted', false],
      ['K2', 'submitted', false],
    ]);
    await city(TABLE).update({ EXCHANGE_STATUS: '1' }).where('DELIVERY_KEY', 'like', 'K1%');
    await city(TABLE).update({ EXCHANGE_STATUS: '9' }).where('DELIVERY_KEY', 'like', 'K2%');
    const states = await readExchangeStates(city, TABLE, ['K1', 'K2'], codes, deadline, false, WIDTH);
    expect([...states].map(([key, s]) => [key, s.code])).toEqual([
      ['K1', '1'],
      ['K2', '9'],
    ]);
    const again = await write(['K1', 'K2'], 'B2', WIDTH);
    expect([...again.values()].map((o) => [o.key, o.state, o.receipt?.duplicate])).toEqual([
      ['K1', 'accepted', true],
      ['K2', 'submitted', false],
    ]);
    expect(await city(TABLE).where('DELIVERY_KEY', 'like', 'K%').count({ n: '*' })).toEqual([{ n: '2' }]);
  });
});
