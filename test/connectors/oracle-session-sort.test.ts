/**
 * An Oracle session sorts ORDER BY by NLS_SORT, which follows NLS_LANGUAGE (GERMAN, FRENCH, …: a
 * linguistic sort) or is set by a logon trigger (SCHINESE_PINYIN_M, for names in pinyin order),
 * while `>` and `=` compare binary under the default NLS_COMP. A keyset page ordered by a text key
 * under a linguistic sort and resumed with a binary `key > ?` skips the keys the two orders place
 * differently (`a` sorts before `B` linguistically, after it in binary), and the database must sort
 * the whole table for every page. Each connection of an Oracle source sets both to BINARY, as it
 * sets its date and number formats, after anything the login did. No Oracle server runs here: the
 * driver's getConnection hands out a connection that keeps the session settings ALTER SESSION sets.
 */
import { createRequire } from 'node:module';
import knex from 'knex';
import { afterEach, describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../config/types.js';
import { oracleDialect } from '../../connectors/sql/dialects/oracle/dialect.js';

const oracledb = createRequire(import.meta.url)('oracledb') as Record<string, unknown>;
const realGetConnection = oracledb.getConnection;
afterEach(() => {
  oracledb.getConnection = realGetConnection;
});

/** A connection whose login left NLS_SORT linguistic; returns the session settings as each statement ran. */
function fakeDriver(): { sql: string; nls: Record<string, string> }[] {
  const executed: { sql: string; nls: Record<string, string> }[] = [];
  const nls: Record<string, string> = { NLS_SORT: 'SCHINESE_PINYIN_M', NLS_COMP: 'LINGUISTIC' };
  const connection = {
    oracleServerVersion: 1_900_000_000,
    oracleServerVersionString: '19.3.0.0.0',
    execute(sql: string, _binds: unknown, _options: unknown, cb: (e: null, r: unknown) => void) {
      if (/^ALTER SESSION SET /i.test(sql)) {
        for (const m of sql.matchAll(/(\w+)\s*=\s*(?:'([^']*)'|(\w+))/g))
          nls[(m[1] as string).toUpperCase()] = (m[2] ?? m[3]) as string;
      }
      executed.push({ sql, nls: { ...nls } });
      cb(null, { rows: [{ N: 1 }] });
    },
    commit: (cb?: () => void) => (cb ? cb() : Promise.resolve()),
    release: (_o: unknown, cb?: () => void) => (cb ? cb() : Promise.resolve()),
    close: (_o: unknown, cb?: () => void) => (cb ? cb() : Promise.resolve()),
  };
  oracledb.getConnection = (_attributes: unknown, cb: (e: null, c: unknown) => void) => cb(null, connection);
  return executed;
}

describe("an Oracle source's session sort", { timeout: 10_000 }, () => {
  it('orders and compares text in binary, whatever the login set', async () => {
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
    const read = executed.find((s) => s.sql.startsWith('SELECT 1'));
    expect(read?.nls).toMatchObject({ NLS_SORT: 'BINARY', NLS_COMP: 'BINARY' });
  });
});
