/**
 * PostgreSQL: a page's quarantine records written the bound way (ledger/pg-page-quarantine.ts),
 * as a page holding a key that JSON would carry otherwise (a lone surrogate, a NUL) writes them:
 * in statements within the bind parameter limit, however many rows the page quarantines (a
 * pipeline's pageSize goes to 50,000). And a key holding a lone surrogate that maps cleanly closes
 * its record (stored with U+FFFD, as a bound parameter stores it) where it failed the page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { postgresBackend, quietLogger, type TestDatabase } from './backends.js';
import { candidate, uniqueName } from './fixtures.js';

describe('quarantine records written the bound way (postgres)', () => {
  let database: TestDatabase;
  let ledger: Ledger;

  beforeAll(async () => {
    database = await postgresBackend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
  });
  afterAll(async () => {
    await ledger?.close();
    await database?.dispose();
  });

  it('writes a page of 14,000 records, one keyed with a lone surrogate', async () => {
    const pipeline = uniqueName('pgqb');
    const runId = uniqueName('run');
    const reasons = [{ code: 'LB_MAP_DATE', message: 'not valid', path: 'validTo' }];
    const quarantined = Array.from({ length: 14_000 }, (_, i) => ({ sourceKey: `k-${i}`, reasons }));
    quarantined.push({ sourceKey: 'odd-\ud800', reasons });
    await ledger.startRun({ runId, pipeline, mode: 'incremental' });
    await ledger.commitPage({
      pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor: null, key: 'a' }),
      rowsRead: quarantined.length,
      candidates: [],
      quarantined,
    });
    expect(await ledger.openQuarantineCount(pipeline)).toBe(14_001);
    expect(await ledger.openQuarantineKeys(pipeline)).toContain('odd-\ufffd');
  });

  it('closes the record of a key holding a lone surrogate when it maps cleanly', async () => {
    const pipeline = uniqueName('pgqs');
    const reasons = [{ code: 'LB_MAP_DATE', message: 'not valid', path: 'validTo' }];
    const key = `${pipeline}-\udc00x`;
    const first = uniqueName('run');
    await ledger.startRun({ runId: first, pipeline, mode: 'incremental' });
    await ledger.commitPage({
      pipeline,
      runId: first,
      checkpoint: encodeKeyPosition({ cursor: null, key: 'a' }),
      rowsRead: 1,
      candidates: [],
      quarantined: [{ sourceKey: key, reasons }],
    });
    expect(await ledger.openQuarantineKeys(pipeline)).toEqual([`${pipeline}-\ufffdx`]);
    const second = uniqueName('run');
    await ledger.startRun({ runId: second, pipeline, mode: 'incremental' });
    const mapped = { ...candidate({ n: 1, pipeline, runId: second }), sourceKey: key };
    const { created } = await ledger.commitPage({
      pipeline,
      runId: second,
      checkpoint: encodeKeyPosition({ cursor: null, key: 'b' }),
      rowsRead: 1,
      candidates: [mapped],
      quarantined: [],
    });
    expect(created).toHaveLength(1);
    expect(await ledger.openQuarantineKeys(pipeline)).toEqual([]);
  });
});
