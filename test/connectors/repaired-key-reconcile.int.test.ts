/**
 * A key column under `charset.repair`: license numbers with Chinese in them (`鲁食药监餐证字001`),
 * GBK bytes in a latin1 column. A run keys each license by the repaired text. Reconciliation's
 * reads keyed the same rows by the mojibake: the light check's key list named every such key
 * as it is stored (`Â³Ê³Ò©¼à…`), so each license was "missing in the source" and each source key
 * "not in the ledger"; the digests bucketed them by the database's text, so the buckets never
 * agreed with the ledger's and every check drilled down. Both now key rows as a run does.
 */
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import type { StreamSpec } from '../../connectors/source.js';
import { fingerprintPart, keyBucket } from '../../core/reconcile-digest.js';
import { readAll } from './conformance.js';
import { mariadbSource } from './legacy-sources.js';

const BUCKETS = 16;
const NUMBERS = Array.from({ length: 12 }, (_, i) => `鲁食药监餐证字${String(i + 1).padStart(3, '0')}`);
const stream: StreamSpec = { table: 'T_XKZ', key: 'XKZBH', cursor: 'GXSJ' };

const legacy = mariadbSource(
  async (c) => {
    await c.query(
      'CREATE TABLE T_XKZ (XKZBH varchar(40) CHARACTER SET latin1 PRIMARY KEY, MC varchar(20), GXSJ datetime(6))',
    );
    for (const [i, n] of NUMBERS.entries()) {
      // The GBK bytes as they sit in the latin1 column.
      await c.query('INSERT INTO T_XKZ VALUES (CONVERT(? USING latin1), ?, ?)', [
        iconv.encode(n, 'gbk'),
        `name ${i}`,
        '2024-01-01 00:00:01',
      ]);
    }
  },
  { charset: { repair: ['XKZBH'], from: 'gb18030' } },
);

describe('reconciliation reads of a charset-repaired key', () => {
  it('a run keys the rows by the repaired text', async () => {
    const keys = (await readAll(legacy.source, stream, 5)).flatMap((p) => p.rows.map((r) => r.key));
    expect(keys.sort()).toEqual([...NUMBERS].sort());
  });

  it('lists the same keys for the light check', async () => {
    const keys: string[] = [];
    for await (const chunk of legacy.source.keys(stream, { chunkSize: 5 })) keys.push(...chunk);
    expect(keys.sort()).toEqual([...NUMBERS].sort());
  });

  it('buckets the rows by those keys, in digests and drill-downs', async () => {
    const expected = new Map<number, { count: number; sum: number }>();
    for (const page of await readAll(legacy.source, stream, 5)) {
      for (const [key, fp] of page.fingerprints ?? []) {
        const d = expected.get(keyBucket(key, BUCKETS)) ?? { count: 0, sum: 0 };
        d.count += 1;
        d.sum = (d.sum + fingerprintPart(fp)) % 2 ** 52;
        expected.set(keyBucket(key, BUCKETS), d);
      }
    }
    const digests = (await legacy.source.bucketDigests?.(stream, { buckets: BUCKETS })) ?? [];
    expect(new Map(digests.map((d) => [d.bucket, { count: d.count, sum: Number(d.sum) }]))).toEqual(expected);
    const wanted = [...expected.keys()].slice(0, 3);
    const drilled: string[] = [];
    for await (const chunk of legacy.source.readBuckets?.(stream, {
      buckets: BUCKETS,
      wanted,
      pageSize: 4,
    }) ?? []) {
      chunk.rows.forEach((r, i) => {
        if (chunk.buckets) expect(chunk.buckets[i]).toBe(keyBucket(r.key, BUCKETS));
        drilled.push(r.key);
      });
    }
    expect(drilled.sort()).toEqual(NUMBERS.filter((n) => wanted.includes(keyBucket(n, BUCKETS))).sort());
  });
});
