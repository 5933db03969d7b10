/**
 * A full check first counts the ledger's licenses per area (area-counts.ts). It read every license
 * of the pipeline in one call (`ledgerRowsInBuckets` over all buckets) and held them all while it
 * read their payloads: at 1,000,000 licenses some 300 MB of license objects, and on PostgreSQL the
 * driver's whole result beside them, before a single row of the source was looked at. It now walks
 * the licenses a page at a time: no ledger call hands over more than a page, and the counts are
 * those of every license, on both ledgers.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyBucket } from '../../core/reconcile-digest.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { ledgerAreas } from '../../pipelines/reconcile/area-counts.js';
import { BACKENDS, quietLogger, type TestDatabase } from '../ledger/backends.js';
import { rawKnex } from '../ledger/raw-knex.js';
import { commitLicenses } from './committed-licenses.js';
import { type AnswerSize, watchedLedger } from './watched-ledger.js';

const BUCKETS = 8;
const PAGE = 4;
/** The area every license of committed-licenses.ts carries. */
const AREA = '370211';

describe.each(BACKENDS)('reconcile: ledger areas a page at a time ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;
  const pipeline = `areas-${randomBytes(3).toString('hex')}`;
  const tag = randomBytes(3).toString('hex').toUpperCase();
  const serials = Array.from({ length: 13 }, (_, i) => `AP${tag}${String(i).padStart(8, '0')}`);
  /** One license no source row stands behind (a deletion the policy answered). */
  const sourceless = serials[5] as string;

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
    await commitLicenses(ledger, pipeline, serials);
    // Another pipeline's licenses are not counted.
    await commitLicenses(ledger, `${pipeline}-other`, [`AQ${tag}00000000`]);
    const raw = rawKnex(database.url);
    try {
      await raw('licenses').where({ source_key: sourceless }).update({ status: 'revoked', source_fp: '-' });
    } finally {
      await raw.destroy();
    }
  }, 60_000);
  afterAll(async () => {
    await ledger?.close();
    await database?.dispose();
  });

  it('hands over no more than a page of licenses at once and counts every one', async () => {
    const sizes: AnswerSize[] = [];
    const progress: [number, number][] = [];
    const areas = await ledgerAreas(
      watchedLedger(ledger, sizes),
      pipeline,
      BUCKETS,
      (done, total) => progress.push([done, total]),
      PAGE,
    );

    expect(areas.total).toEqual({ [AREA]: serials.length });
    const perBucket = new Map<number, Record<string, number>>();
    for (const s of serials) {
      if (s === sourceless) continue;
      const b = keyBucket(s, BUCKETS);
      const counts = perBucket.get(b) ?? {};
      counts[AREA] = (counts[AREA] ?? 0) + 1;
      perBucket.set(b, counts);
    }
    expect(new Map([...areas.perBucket].sort(([a], [b]) => a - b))).toEqual(
      new Map([...perBucket].sort(([a], [b]) => a - b)),
    );

    expect(sizes.length).toBeGreaterThan(0);
    for (const s of sizes) expect(s.n, s.method).toBeLessThanOrEqual(PAGE);
    expect(progress.at(-1)).toEqual([serials.length, serials.length]);
  });
});
