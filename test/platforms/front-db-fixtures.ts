/**
 * Shared setup of the front-database target tests: a target's settings, a front database (a
 * scratch one on the local PostgreSQL or MariaDB server, or a SQLite file) with the city's own knex
 * handle on it, and an exchange table whose columns the city declared otherwise than licbridge.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexModule, { type Knex } from 'knex';
import { afterAll, beforeAll } from 'vitest';
import type { FrontDbTargetConfig } from '../../adapters/platforms/front-db/config.js';
import { ensureExchangeTable } from '../../adapters/platforms/front-db/exchange-table.js';
import type { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import type { DeliveryItem, DeliveryOutcome } from '../../adapters/platforms/target.js';
import { LicbridgeError } from '../../core/errors.js';
import { scratchMariaDb, scratchPostgres } from './front-db-servers.js';

/** Where a target finds its front database: a network connection, or a SQLite file. */
export type FrontDbWhere = Pick<FrontDbTargetConfig, 'connection' | 'path'>;

/**
 * A front-db target's settings on `table`: no table created, batches of 10, 10 s timeout, one
 * batch at a time, 3 attempts — `extra` overrides any of them.
 */
export const frontDbConfig = (
  client: FrontDbTargetConfig['client'],
  where: FrontDbWhere,
  table: string,
  extra: Partial<FrontDbTargetConfig> = {},
): FrontDbTargetConfig => ({
  kind: 'front-db',
  client,
  ...where,
  table,
  dataSource: '11370211MB1234567X',
  createTable: false,
  batchSize: 10,
  timeoutMs: 10_000,
  concurrency: 1,
  attempts: 3,
  ...extra,
});

/** A front database and the city's own knex handle on it, dropped whole by `dispose`. */
export interface FrontDbPlace {
  client: FrontDbTargetConfig['client'];
  where: FrontDbWhere;
  city: Knex;
  dispose(): Promise<void>;
}

/** A scratch database on the local server, as `FrontDbPlace` with its connection settings. */
export interface ScratchPlace extends FrontDbPlace {
  client: 'postgres' | 'mysql';
  connection: Record<string, string | number>;
}

/** Creates a scratch database named `${prefix}_<random>` on the local PostgreSQL or MariaDB server. */
export const scratchPlace = async (client: 'postgres' | 'mysql', prefix: string): Promise<ScratchPlace> => {
  const scratch = client === 'postgres' ? scratchPostgres : scratchMariaDb;
  const db = `${prefix}_${randomBytes(4).toString('hex')}`;
  const connection = await scratch.create(db);
  const city = knexModule({ client: client === 'postgres' ? 'pg' : 'mysql2', connection });
  return {
    client,
    connection,
    where: { connection },
    city,
    async dispose() {
      await city.destroy();
      await scratch.drop(db);
    },
  };
};

/** A scratch database for the calling `describe` block's tests, and the targets they open on it. */
export interface ScratchPlaceForTests {
  /** Read inside tests and hooks, once `beforeAll` has run. */
  readonly place: ScratchPlace;
  /** `target`, closed after the block's tests. */
  closedAfter(target: FrontDbTarget): FrontDbTarget;
}

/**
 * A scratch database (as {@link scratchPlace}) that `setup` fills before the calling `describe`
 * block's tests; after them, every target handed to `closedAfter` is closed and the database dropped.
 */
export function scratchPlaceForTests(
  client: 'postgres' | 'mysql',
  prefix: string,
  setup: (place: ScratchPlace) => Promise<void>,
): ScratchPlaceForTests {
  let place: ScratchPlace | undefined;
  const targets: FrontDbTarget[] = [];
  beforeAll(async () => {
    place = await scratchPlace(client, prefix);
    await setup(place);
  });
  afterAll(async () => {
    for (const t of targets) await t.close();
    await place?.dispose();
  });
  return {
    get place() {
      if (!place) throw new Error('scratchPlaceForTests: read inside a test or hook, once beforeAll has run');
      return place;
    },
    closedAfter(target) {
      targets.push(target);
      return target;
    },
  };
}

/** A SQLite front database in a fresh temporary directory named `${prefix}-<random>`. */
export const sqlitePlace = async (prefix: string): Promise<FrontDbPlace> => {
  const dir = await mkdtemp(join(tmpdir(), `${prefix}-`));
  const path = join(dir, 'front.db');
  const city = knexModule({
    client: 'better-sqlite3',
    connection: { filename: path },
    useNullAsDefault: true,
  });
  return {
    client: 'sqlite',
    where: { path },
    city,
    async dispose() {
      await city.destroy();
      await rm(dir, { recursive: true, force: true });
    },
  };
};

/** The exchange table as licbridge makes it, then each of the city's `alters` (raw SQL) applied. */
export const cityExchangeTable = async (city: Knex, table: string, ...alters: string[]): Promise<void> => {
  await ensureExchangeTable(city, table);
  for (const sql of alters) await city.raw(sql);
};

/** Drops the primary key {@link cityExchangeTable} gives a PostgreSQL table: `DELIVERY_KEY` a plain column. */
export const dropPgPrimaryKey = (table: string): string =>
  `alter table "${table}" drop constraint "${table}_pkey"`;

/** An exchange row of key `key` in batch `batch`, as a city's tests write it; `EXCHANGE_TIME` left to the caller. */
export const exchangeRow = (key: string, batch = 'B1'): Record<string, unknown> => ({
  DELIVERY_KEY: key,
  BATCH_NO: batch,
  OPERATION_TYPE: 'I',
  DATA_SOURCE: '11370211MB1234567X',
  LICENSE_ID: `L-${key}`,
  LICENSE_VERSION: 1,
  ZZBS: `ZZBS-${key}`,
  CZLX: '01',
  ZZZT: '01',
  PAYLOAD: '{}',
  SIGNATURE: '{}',
  EXCHANGE_STATUS: '0',
});

/**
 * The outcomes of a send of `items` made while the front database answers, sent again (five tries
 * at most) on a retryable failure, as the deliver stage sends it. For the tests whose `timeoutMs`
 * is short so that sends into a silent database end soon (500 ms, 1 s): a loaded machine took longer
 * than that for one send's statements while the database still answered, and the send failed out of
 * time, failing a setup or a last send that only needs its row written.
 */
export async function sentWhileAnswering(
  target: FrontDbTarget,
  items: DeliveryItem[],
): Promise<DeliveryOutcome[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await target.deliver(items);
    } catch (e) {
      if (attempt >= 5 || !(e instanceof LicbridgeError && e.retryable)) throw e;
    }
  }
}
