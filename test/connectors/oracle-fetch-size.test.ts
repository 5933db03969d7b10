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
import { describe, expect, it } from 'vitest';
import { oracleKnexClient } from '../../connectors/sql/dialects/oracle/knex-client.js';
import {
  fakeOracleDriver,
  ONE_ROW,
  oracledb,
  oracleSourceKnexConfig,
  restoreOracleDriverAfterEach,
  selectOne,
} from './oracle-fake-driver.js';

restoreOracleDriverAfterEach();

/** Replaces the driver's getConnection; returns the options each statement was executed with. */
function fakeDriver(): Record<string, unknown>[] {
  const executed: Record<string, unknown>[] = [];
  fakeOracleDriver(() => (_sql, _binds, options, cb) => {
    executed.push({ ...options });
    cb(null, ONE_ROW);
  });
  return executed;
}

describe("an Oracle source's fetch sizes", { timeout: 10_000 }, () => {
  it('reach every statement of the source', async () => {
    const executed = fakeDriver();
    await selectOne(await oracleSourceKnexConfig());
    expect(executed.length).toBeGreaterThan(0);
    for (const options of executed)
      expect(options).toMatchObject({ fetchArraySize: 1000, prefetchRows: 1000 });
  });

  it("are not the process's: a front database's statements keep the driver's", async () => {
    const executed = fakeDriver();
    await selectOne({
      client: oracleKnexClient({ leaveFetchAsString: true }) as never,
      connection: { user: 'lic', password: 'pw', connectString: 'db.example:1521/FRONT' },
    });
    expect(executed.length).toBeGreaterThan(0);
    for (const options of executed) {
      expect(options.fetchArraySize).toBeUndefined();
      expect(options.prefetchRows).toBeUndefined();
    }
    expect(oracledb.fetchArraySize).toBe(100);
  });
});
