/**
 * A reconciliation read the database refuses (the count, the key set, the keys ahead of the clock,
 * the bucket digests, a drill-down's rows) names the source and the stream, the database's reason
 * before the SQL, as a page read's failure does (read-error-reason-first): a check over several
 * streams said only `source legacy: query failed: …`, and which stream failed was left to guess.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../config/types.js';
import { openSource } from '../../connectors/open-source.js';
import type { SourceConnector, StreamSpec } from '../../connectors/source.js';
import { ErrorCodes, isLicbridgeError } from '../../core/errors.js';
import { createLogger } from '../../core/logger.js';
import { createPgDatabase, type FreshPg, pgSourceConfig } from './servers.js';

const quiet = createLogger({ level: 'silent' });
const REASON = 'query failed: invalid input syntax for type timestamp';

let pgDb: FreshPg;
beforeAll(async () => {
  pgDb = await createPgDatabase();
  // Every read of the view casts each row's text, and one row's text is no timestamp.
  await pgDb.client.query(
    `CREATE TABLE t_xkz (bh varchar(10) PRIMARY KEY, gxsj text);
     INSERT INTO t_xkz (bh, gxsj) VALUES ('A', '2024-01-02 03:04:05'), ('B', 'no time');
     CREATE VIEW v_xkz AS SELECT bh, CAST(gxsj AS timestamp) AS gxsj FROM t_xkz
       WHERE CAST(gxsj AS timestamp) IS NOT NULL`,
  );
});
afterAll(async () => {
  await pgDb?.drop();
});

const config = (): SourceConfig => pgSourceConfig(pgDb.database);

async function drain<T>(items: AsyncIterable<T>): Promise<void> {
  for await (const _ of items);
}

const reads: [string, (c: SourceConnector, s: StreamSpec) => Promise<unknown>][] = [
  ['count', (c, s) => c.count(s)],
  ['keys', (c, s) => drain(c.keys(s))],
  ['keysAheadOfClock', (c, s) => c.keysAheadOfClock?.(s) ?? Promise.reject(new Error('none'))],
  ['bucketDigests', (c, s) => c.bucketDigests?.(s, { buckets: 8 }) ?? Promise.reject(new Error('none'))],
  [
    'readBuckets',
    (c, s) =>
      c.readBuckets
        ? drain(c.readBuckets(s, { buckets: 8, wanted: [0, 1, 2, 3, 4, 5, 6, 7], pageSize: 10 }))
        : Promise.reject(new Error('none')),
  ],
];

const streams: StreamSpec[] = [
  { table: 'v_xkz', key: 'bh', cursor: 'gxsj' },
  { table: 'licences', key: 'bh', cursor: 'gxsj', query: 'SELECT bh, gxsj FROM v_xkz' },
];

describe('a reconciliation read the database refuses', () => {
  for (const stream of streams) {
    for (const [what, read] of reads) {
      it(`${what} of ${stream.query ? 'a query stream' : 'a table stream'} names the stream`, async () => {
        const connector = await openSource('legacy', config(), { logger: quiet });
        const error = await read(connector, stream).then(
          () => undefined,
          (e: unknown) => e,
        );
        await connector.close();
        expect(isLicbridgeError(error)).toBe(true);
        if (!isLicbridgeError(error)) return;
        expect(error.code).toBe(ErrorCodes.SOURCE_QUERY);
        expect(error.message).toMatch(new RegExp(`^source legacy: stream \`${stream.table}\`: ${REASON}: `));
        expect(error.context).toMatchObject({ source: 'legacy', table: stream.table });
      });
    }
  }
});
