/**
 * A PostgreSQL database created with encoding SQL_ASCII stores whatever bytes the application
 * sent, unchecked: a Chinese application's GBK bytes, here `中国` as 0xD6D0 0xB9FA. node-postgres
 * asks for UTF-8, and the server refuses to send such bytes as UTF-8 (SQLSTATE 22021): every read
 * of a table holding one failed with a driver message that named neither the database's encoding
 * nor a way out. The error now says what the database holds and how to read it — the column as
 * its bytes in a query stream (`convert_to(…, 'SQL_ASCII')`), decoded by the charset repair —
 * without quoting the bytes (a fragment of a name). That way out is read here too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../../connectors/open-source.js';
import type { SourceConnector } from '../../connectors/source.js';
import { isLicbridgeError } from '../../core/errors.js';
import { createLogger } from '../../core/logger.js';
import { readAll } from './conformance.js';
import { pgFamilyConfig } from './pg-family-fixture.js';
import { createPgDatabase, type FreshPg } from './servers.js';

let db: FreshPg;
let source: SourceConnector;

beforeAll(async () => {
  db = await createPgDatabase({ encoding: 'SQL_ASCII' });
  await db.client.query('CREATE TABLE "T_XKZ" ("ID" integer PRIMARY KEY, "JYZMC" text, "BZ" text)');
  // The bytes as the legacy application wrote them: text of the SQL_ASCII database, unchecked.
  await db.client.query(
    `INSERT INTO "T_XKZ" VALUES
       (1, convert_from('\\xd6d0b9fa'::bytea, 'SQL_ASCII'), 'plain'),
       (2, 'ascii only', 'plain')`,
  );
  source = await openSource(
    'market-food',
    pgFamilyConfig('postgres', db.database, { charset: { from: 'gbk', repair: ['JYZMC'] } }),
    { logger: createLogger({ level: 'silent' }) },
  );
});

afterAll(async () => {
  await source?.close();
  await db?.drop();
});

describe('postgres: a SQL_ASCII database holding GBK bytes', () => {
  it('a table read fails naming the source, the encoding and the way to read it, without the bytes', async () => {
    const error = await readAll(source, { table: 'T_XKZ', key: 'ID' }, 10).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isLicbridgeError(error)).toBe(true);
    if (!isLicbridgeError(error)) return;
    expect(error.code).toBe('LB_SOURCE_QUERY');
    expect(error.retryable).toBe(false);
    expect(error.context).toMatchObject({ source: 'market-food', driverCode: '22021' });
    expect(error.message).toContain('source market-food:');
    expect(error.message).toContain('SQL_ASCII');
    expect(error.message).toContain('convert_to("COLUMN", \'SQL_ASCII\') AS "COLUMN"');
    expect(error.message).toContain('charset.repair');
    expect(error.message).not.toMatch(/0xd6|0xb9|\\xd6/i);
  });

  it('reads the text through a query stream selecting it as bytes, decoded as the configured charset', async () => {
    const stream = {
      table: 'licenses',
      key: 'ID',
      keyUnique: true,
      query: `SELECT "ID", convert_to("JYZMC", 'SQL_ASCII') AS "JYZMC", "BZ" FROM "T_XKZ"`,
    };
    const pages = await readAll(source, stream, 10);
    const rows = pages.flatMap((p) => p.rows);
    expect(rows.map((r) => [r.key, r.values.JYZMC, r.problems ?? []])).toEqual([
      ['1', '中国', []],
      ['2', 'ascii only', []],
    ]);
  });
});
