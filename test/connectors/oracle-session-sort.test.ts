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
import { describe, expect, it } from 'vitest';
import {
  fakeOracleDriver,
  ONE_ROW,
  oracleSourceKnexConfig,
  restoreOracleDriverAfterEach,
  selectOne,
} from './oracle-fake-driver.js';

restoreOracleDriverAfterEach();

/** A connection whose login left NLS_SORT linguistic; returns the session settings as each statement ran. */
function fakeDriver(): { sql: string; nls: Record<string, string> }[] {
  const executed: { sql: string; nls: Record<string, string> }[] = [];
  const nls: Record<string, string> = { NLS_SORT: 'SCHINESE_PINYIN_M', NLS_COMP: 'LINGUISTIC' };
  fakeOracleDriver(() => (sql, _binds, _options, cb) => {
    if (/^ALTER SESSION SET /i.test(sql)) {
      for (const m of sql.matchAll(/(\w+)\s*=\s*(?:'([^']*)'|(\w+))/g))
        nls[(m[1] as string).toUpperCase()] = (m[2] ?? m[3]) as string;
    }
    executed.push({ sql, nls: { ...nls } });
    cb(null, ONE_ROW);
  });
  return executed;
}

describe("an Oracle source's session sort", { timeout: 10_000 }, () => {
  it('orders and compares text in binary, whatever the login set', async () => {
    const executed = fakeDriver();
    await selectOne(await oracleSourceKnexConfig());
    const read = executed.find((s) => s.sql.startsWith('SELECT 1'));
    expect(read?.nls).toMatchObject({ NLS_SORT: 'BINARY', NLS_COMP: 'BINARY' });
  });
});
