/**
 * An Oracle source's rows come 1000 per round trip (docs/connectors.md): the dialect sets
 * `fetchArraySize` and `prefetchRows` in its connection, but knex's Oracle client hands the driver
 * only the user, the password and the connect string, and executes with options of its own, so
 * both were dropped and every page of 1000 rows took ten round trips (the driver's 100). The
 * source's knex client (connectors/sql/dialects/oracle/knex-client.ts) gives each statement of the
 * source's connections those options; the driver's process-wide settings are left alone, so a
 * front database in the same process keeps the driver's. No Oracle server runs in the tests: the
 * driver's `getConnection` is replaced by one handing out a connection that records what each
 * statement is given.
 */
import { createRequire } from 'node:module';
import knex from 'knex';
import { afterEach, describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../config/types.js';
import { oracleDialect } from '../../connectors/sql/dialects/oracle/dialect.js';
import { oracleKnexClient } from '../../connectors/sql/dialects/oracle/knex-client.js';

const oracledb = createRequire(import.meta.url)('oracledb') as Record<string, unknown>;
const realGetConnection = oracledb.getConnection;
afterEach(() => {
  oracledb.getConnection = realGetConnection;
});

/** Replaces the driver's getConnection; returns the options each statement was executed with. */
function fakeDriver(): Record<string, unknown>[] {
  const executed: Record<string, unknown>[] = [];
  const connection = {
    oracleServerVersion: 1_900_000_000,
    oracleServerVersionString: '19.3.0.0.0',
    execute(
      _sql: string,
      _binds: unknown,
      options: Record<string, unknown>,
      cb: (e: null, r: unknown) => void,
    ) {
      executed.push({ ...options });
      cb(null, { rows: [{ N: 1 }] });
    },
    commit: (cb?: () => void) => (cb ? cb() : Promise.resolve()),
    release: (_o: unknown, cb?: () => void) => (cb ? cb() : Promise.resolve()),
    close: (_o: unknown, cb?: () => void) => (cb ? cb() : Promise.resolve()),
  };
  oracledb.getConnection = (_attributes: unknown, cb: (e: null, c: unknown) => void) => cb(null, connection);
  return executed;
}

describe("an Oracle source's fetch sizes", { timeout: 10_000 }, () => {
  it('reach every statement of the source', async () => {
    const executed = fakeDriver();
    const config = await oracleDialect.knexConfig('market-food', {
      kind: 'oracle',
      connection: { host: 'db.example', database: 'ORCL', user: 'lic', password: 'pw' },
    } as unknown as SourceConfig);
    const db = knex(config);
    try {
      await db.raw('SELECT 1 AS n FROM dual');
    } finally {
      await db.destroy();
    }
    expect(executed.length).toBeGreaterThan(0);
    for (const options of executed)
      expect(options).toMatchObject({ fetchArraySize: 1000, prefetchRows: 1000 });
  });

  it("are not the process's: a front database's statements keep the driver's", async () => {
    const executed = fakeDriver();
    const db = knex({
      client: oracleKnexClient({ leaveFetchAsString: true }) as never,
      connection: { user: 'lic', password: 'pw', connectString: 'db.example:1521/FRONT' },
    });
    try {
      await db.raw('SELECT 1 AS n FROM dual');
    } finally {
      await db.destroy();
    }
    expect(executed.length).toBeGreaterThan(0);
    for (const options of executed) {
      expect(options.fetchArraySize).toBeUndefined();
      expect(options.prefetchRows).toBeUndefined();
    }
    expect(oracledb.fetchArraySize).toBe(100);
  });
});
