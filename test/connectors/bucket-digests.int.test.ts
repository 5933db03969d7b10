/**
 * Bucket digests and drill-downs computed inside PostgreSQL and MariaDB agree with the same digests
 * folded from the pages' fingerprints and the keys' buckets — the numbers the ledger computes — and
 * a change of the raw row (padding included) changes its fingerprint while NULL and '' stay apart.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../config/types.js';
import { openSource } from '../../connectors/open-source.js';
import type { SourceConnector, StreamSpec } from '../../connectors/source.js';
import { fingerprintPart, keyBucket } from '../../core/reconcile-digest.js';
import {
  createMariadbDatabase,
  createPgDatabase,
  type FreshMariadb,
  type FreshPg,
  MARIADB,
  PG,
} from './servers.js';

const BUCKETS = 16;

async function foldedFromPages(c: SourceConnector, stream: StreamSpec) {
  const digests = new Map<number, { count: number; sum: number }>();
  const fingerprints = new Map<string, string>();
  for await (const page of c.read({ stream, after: null, pageSize: 7 })) {
    for (const [key, fp] of page.fingerprints ?? []) {
      fingerprints.set(key, fp);
      const b = keyBucket(key, BUCKETS);
      const d = digests.get(b) ?? { count: 0, sum: 0 };
      d.count += 1;
      d.sum = (d.sum + fingerprintPart(fp)) % 2 ** 52;
      digests.set(b, d);
    }
  }
  return { digests, fingerprints };
}

async function checkAgreement(c: SourceConnector, stream: StreamSpec): Promise<Map<string, string>> {
  const { digests, fingerprints } = await foldedFromPages(c, stream);
  const inDb = await c.bucketDigests?.(stream, { buckets: BUCKETS });
  expect(inDb?.length).toBe(digests.size);
  for (const d of inDb ?? []) {
    expect({ count: d.count, sum: Number(d.sum) }).toEqual(digests.get(d.bucket));
  }
  const wanted = [...digests.keys()].slice(0, 3);
  const drilled: string[] = [];
  for await (const chunk of c.readBuckets?.(stream, { buckets: BUCKETS, wanted, pageSize: 5 }) ?? []) {
    chunk.rows.forEach((r, i) => {
      expect(chunk.buckets?.[i]).toBe(keyBucket(r.key, BUCKETS));
      drilled.push(r.key);
    });
  }
  const expected = [...fingerprints.keys()].filter((k) => wanted.includes(keyBucket(k, BUCKETS)));
  expect(drilled.sort()).toEqual(expected.sort());
  return fingerprints;
}

describe('bucket digests inside PostgreSQL', () => {
  let fresh: FreshPg;
  beforeAll(async () => {
    fresh = await createPgDatabase();
  });
  afterAll(async () => {
    await fresh.drop();
  });

  it('agree with the pages, and see padding, NULL and empty text as changes', async () => {
    const table = `T_FP_${randomUUID().replaceAll('-', '').slice(0, 8).toUpperCase()}`;
    await fresh.client.query(
      `CREATE TABLE "${table}" ("ID" char(8) PRIMARY KEY, "MC" varchar(20), "N" numeric(10,2), "T" timestamp(6))`,
    );
    await fresh.client.query(
      `INSERT INTO "${table}" SELECT lpad(g::text, 5, '0'), 'name ' || g, g * 1.5, timestamp '2024-01-01' + g * interval '1 second'
         FROM generate_series(1, 60) g`,
    );
    const config: SourceConfig = {
      kind: 'postgres',
      connection: { host: PG.host, port: PG.port, user: PG.user, database: fresh.database },
      trim: 'all',
      pageSize: 500,
    };
    const c = await openSource('fp', config);
    try {
      const stream = { table, key: 'ID', cursor: 'T' };
      const before = await checkAgreement(c, stream);
      await fresh.client.query(`UPDATE "${table}" SET "MC" = "MC" || ' ' WHERE "ID" = '00001'`);
      await fresh.client.query(`UPDATE "${table}" SET "MC" = NULL WHERE "ID" = '00002'`);
      await fresh.client.query(`UPDATE "${table}" SET "MC" = '' WHERE "ID" = '00003'`);
      const after = await checkAgreement(c, stream);
      const changed = [...after].filter(([k, fp]) => before.get(k) !== fp).map(([k]) => k);
      expect(changed.sort()).toEqual(['00001', '00002', '00003']);
    } finally {
      await c.close();
    }
  });
});

describe('bucket digests inside MariaDB', () => {
  let fresh: FreshMariadb;
  beforeAll(async () => {
    fresh = await createMariadbDatabase();
  });
  afterAll(async () => {
    await fresh.drop();
  });

  it('agree with the pages, and see a raw change as a change', async () => {
    await fresh.conn.query(
      'CREATE TABLE t_fp (ID int PRIMARY KEY, MC varchar(20) CHARACTER SET latin1, N decimal(10,2), T datetime(6))',
    );
    for (let i = 1; i <= 40; i++) {
      await fresh.conn.query('INSERT INTO t_fp VALUES (?, ?, ?, ?)', [
        i,
        `name ${i}`,
        i * 1.5,
        '2024-01-01 00:00:01',
      ]);
    }
    const c = await openSource('fp', {
      kind: 'mysql',
      connection: { host: MARIADB.host, port: MARIADB.port, user: MARIADB.user, database: fresh.database },
      trim: 'all',
      pageSize: 500,
    });
    try {
      const stream = { table: 't_fp', key: 'ID', cursor: 'T' };
      const before = await checkAgreement(c, stream);
      await fresh.conn.query('UPDATE t_fp SET MC = NULL WHERE ID = 5');
      const after = await checkAgreement(c, stream);
      expect([...after].filter(([k, fp]) => before.get(k) !== fp).map(([k]) => k)).toEqual(['5']);
    } finally {
      await c.close();
    }
  });
});
