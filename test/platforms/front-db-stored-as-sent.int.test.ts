/**
 * keysStoredAsSent: the keys whose exchange rows read back as a send writes them. A key with no
 * row, a row stored with `?`s, a row written under other codes, or, in a table whose key is not
 * unique, a second row that differs, is not held as sent. SQLite, a table of the columns read.
 */
import knexModule, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exchangeRows } from '../../adapters/platforms/front-db/exchange-rows.js';
import { COLUMNS, newBatchNo } from '../../adapters/platforms/front-db/exchange-table.js';
import { keysStoredAsSent } from '../../adapters/platforms/front-db/stored-as-sent.js';
import { CHECKED } from '../../adapters/platforms/front-db/verify-stored.js';
import { codeListsFor } from '../../adapters/platforms/shared/code-lists.js';
import { deliveryItem, HOLDER_NAME } from './license-fixture.js';

const TABLE = 'UP_LIC_TWINS';
const deadline = { remainingMs: () => 10_000, cancel: false };

describe('front-db: which keys the exchange table holds as sent', () => {
  let k: Knex;
  beforeAll(async () => {
    k = knexModule({
      client: 'better-sqlite3',
      connection: { filename: ':memory:' },
      useNullAsDefault: true,
    });
    // No unique key: a key may hold two rows.
    await k.schema.createTable(TABLE, (t) => {
      t.string(COLUMNS.key, 200).notNullable();
      for (const c of CHECKED) t.text(c);
    });
  });
  afterAll(async () => {
    await k?.destroy();
  });

  it('holds a key whose every row reads back as written, and no other', async () => {
    const items = [1, 2, 3, 4, 5].map((n) => deliveryItem(n, { target: 'city' }));
    const { rows } = exchangeRows(items, codeListsFor(undefined), '11370211MB1234567X', newBatchNo(), {
      target: 'city',
      action: 'write',
      table: 'UP_LIC_DATA',
    });
    const [same, twin, damaged, recoded] = rows.map((r) => ({
      [COLUMNS.key]: r[COLUMNS.key],
      ...Object.fromEntries(CHECKED.map((c) => [c, r[c]])),
    })) as Record<string, unknown>[];
    const payload = String(twin?.[COLUMNS.payload]);
    expect(payload).toContain(HOLDER_NAME);
    await k(TABLE).insert([
      { ...same },
      { ...twin },
      // The same key again, stored with `?` for the holder's name (a send that failed to take it out).
      { ...twin, [COLUMNS.payload]: payload.replace(HOLDER_NAME, '????') },
      { ...damaged, [COLUMNS.payload]: String(damaged?.[COLUMNS.payload]).replace(HOLDER_NAME, '????') },
      { ...recoded, [COLUMNS.opCode]: '99' },
      // The fifth key has no row.
    ]);
    const held = await keysStoredAsSent(k, TABLE, rows, deadline);
    expect([...held]).toEqual([same?.[COLUMNS.key]]);
  });
});
