/**
 * No Oracle server runs in the Oracle source's unit tests: the driver's `getConnection` is replaced
 * by one handing out a connection standing in for a 19c server, whose statements a test answers;
 * the driver's own is put back after each test. And the `SELECT 1` those tests run through knex.
 */
import { createRequire } from 'node:module';
import knex, { type Knex } from 'knex';
import { afterEach } from 'vitest';
import type { SourceConfig } from '../../config/types.js';
import { oracleDialect } from '../../connectors/sql/dialects/oracle/dialect.js';

/** The driver module, as knex's Oracle client loads it. */
export const oracledb = createRequire(import.meta.url)('oracledb') as Record<string, unknown>;

/** Answers a statement as the driver's callback `execute` does. */
export type FakeExecute<Binds = unknown, Options = Record<string, unknown>> = (
  sql: string,
  binds: Binds,
  options: Options,
  done: (e: Error | null, r?: unknown) => void,
) => void;

/** What `SELECT 1 AS n FROM dual` answers. */
export const ONE_ROW = { rows: [{ N: 1 }] };

/** Puts the driver's own getConnection back after each test of the calling file. */
export function restoreOracleDriverAfterEach(): void {
  const real = oracledb.getConnection;
  afterEach(() => {
    oracledb.getConnection = real;
  });
}

/** Replaces the driver's getConnection: each connection it hands out runs `connect()`'s execute. */
export function fakeOracleDriver<B = unknown, O = Record<string, unknown>>(
  connect: () => FakeExecute<B, O>,
): void {
  oracledb.getConnection = (_attributes: unknown, cb: (e: null, c: unknown) => void) =>
    cb(null, {
      oracleServerVersion: 1_900_000_000,
      oracleServerVersionString: '19.3.0.0.0',
      execute: connect(),
      commit: (cb?: () => void) => (cb ? cb() : Promise.resolve()),
      rollback: (cb?: () => void) => (cb ? cb() : Promise.resolve()),
      release: (_o: unknown, cb?: () => void) => (cb ? cb() : Promise.resolve()),
      close: (_o: unknown, cb?: () => void) => (cb ? cb() : Promise.resolve()),
    });
}

/** The knex config the Oracle dialect makes for a source `market-food`. */
export function oracleSourceKnexConfig(): Promise<Knex.Config> {
  return oracleDialect.knexConfig('market-food', {
    kind: 'oracle',
    connection: { host: 'db.example', database: 'ORCL', user: 'lic', password: 'pw' },
  } as unknown as SourceConfig);
}

/** Runs `SELECT 1 AS n FROM dual` through a knex of `config`, destroyed after. */
export async function selectOne(config: Knex.Config): Promise<void> {
  const db = knex(config);
  try {
    await db.raw('SELECT 1 AS n FROM dual');
  } finally {
    await db.destroy();
  }
}
