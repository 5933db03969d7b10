/**
 * A PostgreSQL CHAR(n) key read without trimming (`trim: none`, or a list leaving the key out)
 * keeps its padding: node-postgres hands `JY001   ` over as stored, and the row's key, the one the
 * ledger buckets, is that padded text. The key bucket computed inside the database took
 * `CAST(key AS text)`, which drops a CHAR's padding: every such row fell into another bucket than
 * the ledger's, and each reconciliation check found both buckets differing and read them again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../../connectors/open-source.js';
import { createLogger } from '../../core/logger.js';
import { keyBucket } from '../../core/reconcile-digest.js';
import { digestsFromPages, digestsInDb } from './bucket-folds.js';
import { pgFamilyConfig } from './pg-family-fixture.js';
import { createPgDatabase, type FreshPg } from './servers.js';

const BUCKETS = 16;
let fresh: FreshPg;

beforeAll(async () => {
  fresh = await createPgDatabase();
  await fresh.client.query('CREATE TABLE t_c (id char(8) PRIMARY KEY, mc varchar(20))');
  await fresh.client.query(
    "INSERT INTO t_c SELECT 'JY' || lpad(g::text, 3, '0'), 'name ' || g FROM generate_series(1, 40) g",
  );
});

afterAll(async () => {
  await fresh?.drop();
});

describe('postgres CHAR keys read untrimmed', () => {
  for (const trim of ['none', ['MC']] as const) {
    it(`bucket as the ledger buckets the keys read (trim: ${JSON.stringify(trim)})`, async () => {
      const source = await openSource('legacy', pgFamilyConfig('postgres', fresh.database, { trim }), {
        logger: createLogger({ level: 'silent' }),
      });
      try {
        const stream = { table: 't_c', key: 'id' };
        const { digests, keys } = await digestsFromPages(source, stream, BUCKETS, 7);
        expect(keys[0]).toBe('JY001   ');
        expect(await digestsInDb(source, stream, BUCKETS)).toEqual(digests);
        const wanted = [...digests.keys()].slice(0, 3);
        const drilled: string[] = [];
        for await (const chunk of source.readBuckets?.(stream, { buckets: BUCKETS, wanted, pageSize: 5 }) ??
          []) {
          chunk.rows.forEach((r, i) => {
            expect(chunk.buckets?.[i]).toBe(keyBucket(r.key, BUCKETS));
            drilled.push(r.key);
          });
        }
        expect(drilled.sort()).toEqual(keys.filter((k) => wanted.includes(keyBucket(k, BUCKETS))).sort());
      } finally {
        await source.close();
      }
    });
  }
});
