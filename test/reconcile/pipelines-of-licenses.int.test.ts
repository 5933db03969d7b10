/**
 * The platform check asks the ledger, for a page of platform licenses its own pipeline's walk did
 * not meet, which pipeline holds each (ledger.pipelinesOfLicenses), and for licenses a platform is
 * ahead on, their latest version now (ledger.licensesAtTargetByIds): one statement per chunk of
 * ids, each carrying at most the bind parameters the database takes (`Db.maxParams`: SQLite's
 * variable limit, PostgreSQL's 65,535), on both ledgers. Asked through a handle allowing 7, a few
 * ids cross the chunk boundaries a page of tens of thousands would cross at the real limits.
 */
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../ledger/db.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import {
  licensesAtTarget,
  licensesAtTargetByIds,
  pipelinesOfLicenses,
} from '../../ledger/reconcile-store.js';
import { noWriteLock } from '../../ledger/write-lock.js';
import { BACKENDS, quietLogger, type TestDatabase } from '../ledger/backends.js';
import { rawKnex } from '../ledger/raw-knex.js';
import { commitLicenses, ids } from './committed-licenses.js';

/** Bind parameters one statement may carry on the handle the test asks through. */
const MAX_PARAMS = 7;

const UNKNOWN = Array.from({ length: 12 }, (_, i) => ids.licenseId(`NOSUCH${String(i).padStart(13, '0')}`));

describe.each(BACKENDS)('ledger queries of the platform check ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;
  let k: Knex;
  let db: Db;
  /** Bind parameters of each statement asking for ids, in order. */
  let params: number[] = [];
  const tag = randomBytes(3).toString('hex').toUpperCase();
  const [food, drug] = [`food-${tag.toLowerCase()}`, `drug-${tag.toLowerCase()}`];
  let foodIds: string[] = [];
  let drugIds: string[] = [];

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
    foodIds = await commitLicenses(
      ledger,
      food,
      ['A', 'B', 'C'].map((s) => `PL${tag}00000${s}`),
    );
    drugIds = await commitLicenses(
      ledger,
      drug,
      ['D', 'E'].map((s) => `PL${tag}00000${s}`),
    );
    // Version 2 of the first food license.
    await commitLicenses(ledger, food, [`PL${tag}00000A`], 2);
    k = rawKnex(database.url);
    k.on('query', (q: { sql: string; bindings?: unknown[] }) => {
      if (/ in \(/i.test(q.sql)) params.push(q.bindings?.length ?? 0);
    });
    db = createDb({
      knex: k,
      dialect: backend.name,
      maxParams: MAX_PARAMS,
      maxRows: 500,
      log: quietLogger,
      exclusive: noWriteLock,
    });
  });
  beforeEach(() => {
    params = [];
  });
  afterAll(async () => {
    await k?.destroy();
    await ledger?.close();
    await database?.dispose();
  });

  it('names the pipeline holding each license, past the first chunk of ids too', async () => {
    // 17 distinct ids (one asked twice): chunks of 7, 7 and 3, the food and drug licenses in the first and the last.
    const asked = [foodIds[0] as string, ...UNKNOWN, ...foodIds.slice(1), ...drugIds, foodIds[1] as string];
    const held = await pipelinesOfLicenses(db, asked);
    expect(Object.fromEntries([...held].sort(([a], [b]) => (a < b ? -1 : 1)))).toEqual(
      Object.fromEntries(
        [...foodIds.map((id) => [id, food]), ...drugIds.map((id) => [id, drug])].sort(([a], [b]) =>
          (a as string) < (b as string) ? -1 : 1,
        ),
      ),
    );
    expect(params).toEqual([7, 7, 3]);
    expect(await pipelinesOfLicenses(db, [])).toEqual(new Map());
    // The ledger's own handle asks the same.
    expect(await ledger.pipelinesOfLicenses(asked)).toEqual(held);
  });

  it("reads a pipeline's licenses again by id, at their latest version", async () => {
    // 17 ids, 5 a statement beside the target and the pipeline: chunks of 5, 5, 5 and 2.
    const asked = [foodIds[0] as string, ...UNKNOWN, ...drugIds, ...foodIds.slice(1)];
    const again = await licensesAtTargetByIds(db, food, 'province', asked);
    expect(params).toEqual([7, 7, 7, 4]);
    expect(again.map((l) => [l.licenseId, l.version]).sort()).toEqual(
      [
        [foodIds[0], 2],
        [foodIds[1], 1],
        [foodIds[2], 1],
      ].sort(),
    );
    const page = await licensesAtTarget(db, food, 'province', '', 10);
    expect(again.sort((a, b) => (a.licenseId < b.licenseId ? -1 : 1))).toEqual(page);
    expect(
      (await ledger.licensesAtTargetByIds(food, 'province', asked)).sort((a, b) =>
        a.licenseId < b.licenseId ? -1 : 1,
      ),
    ).toEqual(page);
  });
});
