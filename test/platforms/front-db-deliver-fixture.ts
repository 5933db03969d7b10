/**
 * Shared setup of the deliver stage's tests against a front database whose exchange system decides
 * later (`exchangeStatus`): a SQLite front database holding the exchange table, with the city's own
 * knex handle on it, a SQLite ledger, and a front-db target on the table.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll } from 'vitest';
import type { ExchangeStatusCodes, FrontDbTargetConfig } from '../../adapters/platforms/front-db/config.js';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { quietLogger, sqliteBackend, type TestDatabase } from '../ledger/backends.js';
import { cityExchangeTable, type FrontDbPlace, frontDbConfig, sqlitePlace } from './front-db-fixtures.js';

/** What the calling `describe` block's tests read, once `beforeAll` has run. */
export interface FrontDbDelivery {
  readonly ledger: Ledger;
  /** The city's own knex handle on the front database: the test plays the exchange system. */
  readonly exchange: Knex;
  /** The front-db target `name`, with `exchangeStatus`. */
  readonly target: FrontDbTarget;
  /** The target's settings on the table: batches of 50, one attempt, `extra` over them. */
  config(extra?: Partial<FrontDbTargetConfig>): FrontDbTargetConfig;
}

/**
 * Opens, before the calling `describe` block's tests, a SQLite front database in a directory named
 * `${prefix}-<random>` with the exchange table `table` (each of the city's `alters` applied), a
 * SQLite ledger, and the target `name` deciding by `exchangeStatus`; closes them all after.
 */
export function frontDbDelivery(
  prefix: string,
  name: string,
  table: string,
  exchangeStatus: ExchangeStatusCodes,
  ...alters: string[]
): FrontDbDelivery {
  let place: FrontDbPlace | undefined;
  let db: TestDatabase | undefined;
  let ledger: Ledger | undefined;
  let target: FrontDbTarget | undefined;
  const opened = <T>(value: T | undefined): T => {
    if (value === undefined)
      throw new Error('frontDbDelivery: read inside a test or hook, once beforeAll has run');
    return value;
  };
  const config = (extra: Partial<FrontDbTargetConfig> = {}) =>
    frontDbConfig('sqlite', opened(place).where, table, { batchSize: 50, attempts: 1, ...extra });
  beforeAll(async () => {
    place = await sqlitePlace(prefix);
    await cityExchangeTable(place.city, table, ...alters);
    db = await sqliteBackend.create();
    ledger = await openLedger(db.url, { logger: quietLogger });
    target = new FrontDbTarget(name, config({ exchangeStatus }));
  });
  afterAll(async () => {
    await target?.close();
    await ledger?.close();
    await db?.dispose();
    await place?.dispose();
  });
  return {
    get ledger() {
      return opened(ledger);
    },
    get exchange() {
      return opened(place).city;
    },
    get target() {
      return opened(target);
    },
    config,
  };
}
