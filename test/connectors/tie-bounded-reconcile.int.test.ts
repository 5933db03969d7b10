/**
 * Reconciliation's reads of a key column that holds one value on more rows than a page may (a
 * status or type code named as the key): the light check's key list, the drill-down into chosen
 * buckets and the key-order scan of a stream without in-database buckets (a query stream) each
 * took in every row level with a full page's last one, read all at once into memory whatever their
 * number. They now fail past 100,000 such rows as a run's read does (tie-bounded.int.test.ts),
 * naming the source, stream and key column. PostgreSQL, for real.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../config/types.js';
import { openSource } from '../../connectors/open-source.js';
import type { SourceConnector, StreamSpec } from '../../connectors/source.js';
import { ErrorCodes, isLicbridgeError } from '../../core/errors.js';
import { createLogger } from '../../core/logger.js';
import { keyBucket } from '../../core/reconcile-digest.js';
import { createPgDatabase, type FreshPg, pgSourceConfig } from './servers.js';

const quiet = createLogger({ level: 'silent' });
const LIMIT = 100_000;
const BUCKETS = 16;

let pgDb: FreshPg;
beforeAll(async () => {
  pgDb = await createPgDatabase();
  // ZT '01' on one row more than the limit (t_zt), on exactly the limit (t_zt_full), after a few
  // rows of other values so the first full page ends inside the tie.
  await pgDb.client.query(
    `CREATE TABLE t_zt (zt varchar(2) NOT NULL, gxsj timestamp NOT NULL, mc text);
     CREATE INDEX ON t_zt (zt);
     INSERT INTO t_zt SELECT '00', '2024-03-01 08:00', 'a' || g FROM generate_series(1, 10) g;
     INSERT INTO t_zt SELECT '01', '2024-03-01 08:00', 'm' || g FROM generate_series(1, ${LIMIT + 1}) g;
     CREATE TABLE t_zt_full (zt varchar(2) NOT NULL, mc text);
     CREATE INDEX ON t_zt_full (zt);
     INSERT INTO t_zt_full SELECT '01', 'm' || g FROM generate_series(1, ${LIMIT}) g;`,
  );
}, 120_000);
afterAll(async () => {
  await pgDb?.drop();
});

const config = (): SourceConfig => pgSourceConfig(pgDb.database);

const table: StreamSpec = { table: 't_zt', key: 'zt', cursor: 'gxsj' };
// A query stream has no in-database fingerprint: its digests and drill-downs scan it in key order.
const query: StreamSpec = { table: 'q_zt', key: 'zt', query: 'SELECT zt, gxsj, mc FROM t_zt' };
const wanted = [keyBucket('01', BUCKETS)];

async function drain<T>(items: AsyncIterable<T> | undefined): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items ?? []) out.push(item);
  return out;
}

async function failureOf(read: (c: SourceConnector) => Promise<unknown>): Promise<unknown> {
  const connector = await openSource('legacy', config(), { logger: quiet });
  try {
    await read(connector);
    return undefined;
  } catch (e) {
    return e;
  } finally {
    await connector.close();
  }
}

describe('reconciliation reads of rows level with a page end, more than a page may hold', () => {
  for (const [what, stream, read] of [
    ['the light check key list', table, (c: SourceConnector) => drain(c.keys(table, { chunkSize: 500 }))],
    [
      'a drill-down into the bucket of the tie',
      table,
      (c: SourceConnector) => drain(c.readBuckets?.(table, { buckets: BUCKETS, wanted, pageSize: 500 })),
    ],
    [
      'the digests of a query stream (key-order scan)',
      query,
      (c: SourceConnector) => c.bucketDigests?.(query, { buckets: BUCKETS }) ?? Promise.resolve(),
    ],
    [
      'a drill-down of a query stream (key-order scan)',
      query,
      (c: SourceConnector) => drain(c.readBuckets?.(query, { buckets: BUCKETS, wanted, pageSize: 500 })),
    ],
  ] as const) {
    it(`${what}: fails naming the key column, not the cursor`, async () => {
      const error = await failureOf(read);
      expect(isLicbridgeError(error)).toBe(true);
      if (!isLicbridgeError(error)) return;
      expect(error.code).toBe(ErrorCodes.SOURCE_SCHEMA);
      expect(error.retryable).toBe(false);
      expect(error.message).toContain(`source legacy: more than ${LIMIT} rows of stream \`${stream.table}\``);
      expect(error.message).toContain('hold one value in key column `zt`:');
      expect(error.message).not.toContain('01');
    }, 120_000);
  }

  it('exactly as many as a page may hold: the key list and a scan read them whole', async () => {
    const connector = await openSource('legacy', config(), { logger: quiet });
    try {
      const keys = (
        await drain(connector.keys({ table: 't_zt_full', key: 'zt' }, { chunkSize: 500 }))
      ).flat();
      expect(keys).toHaveLength(LIMIT);
      expect(new Set(keys)).toEqual(new Set(['01']));
      const full: StreamSpec = { table: 'q_full', key: 'zt', query: 'SELECT zt, mc FROM t_zt_full' };
      const rows = (
        await drain(connector.readBuckets?.(full, { buckets: BUCKETS, wanted, pageSize: 500 }))
      ).flatMap((c) => c.rows);
      expect(rows).toHaveLength(LIMIT);
      expect(rows.every((r) => r.problems?.some((p) => p.code === 'LB_SOURCE_KEY_DUPLICATE'))).toBe(true);
    } finally {
      await connector.close();
    }
  }, 120_000);
});
