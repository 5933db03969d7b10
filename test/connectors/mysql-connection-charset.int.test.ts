/**
 * A MySQL or MariaDB source's `connection.charset`. The server sends every value in the
 * connection's character set and writes `?` for each character that set lacks: with `utf8`
 * (utf8mb3) or `gbk` a value holding 𠮷 lost it without a word, and a key holding it (`k𠮷`)
 * became the checkpoint `k?`, which names no row: the next page began before it, read it again,
 * and the read never ended. A set narrower than the server's utf8mb4 is now refused when the
 * connection is made, with the setting and the fix named; utf8mb4, named or by default, reads
 * every character whole.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../config/types.js';
import { openSource } from '../../connectors/open-source.js';
import { isLicbridgeError } from '../../core/errors.js';
import { createLogger } from '../../core/logger.js';
import { readAll } from './conformance.js';
import { createMariadbDatabase, type FreshMariadb, MARIADB } from './servers.js';

const quiet = createLogger({ level: 'silent' });

let fresh: FreshMariadb;
beforeAll(async () => {
  fresh = await createMariadbDatabase();
  await fresh.conn.query(
    'CREATE TABLE t_xkz (XKZH VARCHAR(20) CHARACTER SET utf8mb4 PRIMARY KEY, MC VARCHAR(40) CHARACTER SET utf8mb4, DZ VARCHAR(40) CHARACTER SET gbk)',
  );
  // 𠮷 (U+20BB7) is in utf8mb4 and GB18030, not in utf8mb3 nor GBK.
  await fresh.conn.query(
    "INSERT INTO t_xkz VALUES ('k1', '𠮷记食品店', '中国'), ('k𠮷', '食品店', '路'), ('k?', '问号', '号')",
  );
});
afterAll(async () => {
  await fresh.drop();
});

const config = (charset?: string): SourceConfig => ({
  kind: 'mysql',
  connection: {
    host: MARIADB.host,
    port: MARIADB.port,
    user: MARIADB.user,
    database: fresh.database,
    ...(charset ? { charset } : {}),
  },
  trim: 'all',
  pageSize: 500,
});

/** Every page of the table, one row a page, as a run reads it. */
async function readRows(charset?: string) {
  const source = await openSource('market-food', config(charset), { logger: quiet });
  try {
    const pages = await readAll(source, { table: 't_xkz', key: 'XKZH' }, 1);
    return pages.flatMap((p) => p.rows.map((r) => r.values));
  } finally {
    await source.close();
  }
}

describe('mysql connection character set', () => {
  it.each([undefined, 'utf8mb4', 'UTF8MB4_UNICODE_CI'])(
    'reads every character whole in %s',
    async (charset) => {
      const rows = await readRows(charset);
      expect(rows).toEqual([
        { XKZH: 'k1', MC: '𠮷记食品店', DZ: '中国' },
        { XKZH: 'k?', MC: '问号', DZ: '号' },
        { XKZH: 'k𠮷', MC: '食品店', DZ: '路' },
      ]);
    },
  );

  it.each(['utf8', 'gbk', 'latin1'])(
    'refuses %s, which would send ? for 𠮷, before any row is read',
    async (charset) => {
      const error = await readRows(charset).then(
        (rows) => rows,
        (e: unknown) => e,
      );
      expect(isLicbridgeError(error)).toBe(true);
      expect(error).toMatchObject({ code: 'LB_CONFIG_INVALID', retryable: false });
      expect((error as Error).message).toContain(`\`connection.charset: ${charset}\``);
      expect((error as Error).message).toContain('utf8mb4');
    },
  );
});
