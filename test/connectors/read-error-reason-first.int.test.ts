/**
 * A read the database refuses part-way (a value its own cast cannot read) fails with the source,
 * the stream and the database's reason first, the SQL licbridge sent after it: a stored failure
 * is cut to 300 characters (failureMessage), and with the SQL first a long query left only
 * `source legacy: query failed: select "bh", … invalid input syntax for type tim...`, naming no
 * stream and no reason. The value the database quotes is still masked where the error is stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../config/types.js';
import { openSource } from '../../connectors/open-source.js';
import type { StreamSpec } from '../../connectors/source.js';
import { ErrorCodes, failureMessage, isLicbridgeError } from '../../core/errors.js';
import { createLogger } from '../../core/logger.js';
import { readAll } from './conformance.js';
import { createPgDatabase, type FreshPg, pgSourceConfig } from './servers.js';

const quiet = createLogger({ level: 'silent' });
const REASON = 'query failed: invalid input syntax for type timestamp';
// Columns enough that the SQL of a page alone fills the 300 characters a stored failure keeps.
const WIDE = Array.from({ length: 12 }, (_, i) => `bemerkung_${i}`);

let pgDb: FreshPg;
beforeAll(async () => {
  pgDb = await createPgDatabase();
  await pgDb.client.query(
    `CREATE TABLE t_xkz (bh varchar(10) PRIMARY KEY, gxsj text, ${WIDE.map((c) => `${c} text`).join(', ')});
     INSERT INTO t_xkz (bh, gxsj) VALUES ('A', '王小明');
     CREATE VIEW v_xkz AS SELECT bh, CAST(gxsj AS timestamp) AS gxsj, ${WIDE.join(', ')} FROM t_xkz`,
  );
});
afterAll(async () => {
  await pgDb?.drop();
});

const config = (): SourceConfig => pgSourceConfig(pgDb.database);

async function readError(stream: StreamSpec): Promise<unknown> {
  const connector = await openSource('legacy', config(), { logger: quiet });
  try {
    await readAll(connector, stream, 10);
  } catch (e) {
    return e;
  } finally {
    await connector.close();
  }
  return undefined;
}

const streams: [string, StreamSpec][] = [
  ['a table stream (a view)', { table: 'v_xkz', key: 'bh', cursor: 'gxsj' }],
  [
    'a query stream',
    {
      table: 'licences',
      key: 'bh',
      cursor: 'gxsj',
      query: `SELECT bh, CAST(gxsj AS timestamp) AS gxsj, ${WIDE.join(', ')} FROM t_xkz`,
    },
  ],
];

describe('a read the database refuses', () => {
  for (const [what, stream] of streams) {
    it(`${what}: names the stream and gives the reason before the SQL`, async () => {
      const error = await readError(stream);
      expect(isLicbridgeError(error)).toBe(true);
      if (!isLicbridgeError(error)) return;
      expect(error.code).toBe(ErrorCodes.SOURCE_QUERY);
      expect(error.message.startsWith(`source legacy: stream \`${stream.table}\`: ${REASON}: `)).toBe(true);
      // The SQL sent, if said, follows the reason.
      const sql = error.message.search(/select /i);
      if (sql >= 0) expect(sql).toBeGreaterThan(error.message.indexOf(REASON));
    });

    it(`${what}: the stored failure keeps the stream and the reason, the value masked`, async () => {
      const error = await readError(stream);
      const stored = failureMessage(error).message;
      expect(stored.length).toBeLessThanOrEqual(300);
      expect(stored).toContain(`stream \`${stream.table}\`: ${REASON}: "***"`);
      expect(stored).not.toContain('王小明');
    });
  }
});
