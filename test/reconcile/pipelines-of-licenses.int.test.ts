/**
 * The platform check asks the ledger, for a page of platform licenses its own pipeline's walk did
 * not meet, which pipeline holds each (ledger.pipelinesOfLicenses), and for licenses a platform is
 * ahead on, their latest version now (ledger.licensesAtTargetByIds): one query per chunk of ids,
 * chunked under SQLite's and PostgreSQL's bind-parameter limits, on both ledgers.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from '../ledger/backends.js';
import { commitLicenses, ids } from './committed-licenses.js';

// More ids than one statement may carry on either database (SQLite 32,766, PostgreSQL 65,535).
const UNKNOWN = Array.from({ length: 70_000 }, (_, i) =>
  ids.licenseId(`NOSUCH${String(i).padStart(13, '0')}`),
);

describe.each(BACKENDS)('ledger queries of the platform check ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;
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
  });
  afterAll(async () => {
    await ledger?.close();
    await database?.dispose();
  });

  it('names the pipeline holding each license, past the first chunk of ids too', async () => {
    const asked = [foodIds[0] as string, ...UNKNOWN, ...foodIds.slice(1), ...drugIds, foodIds[1] as string];
    const held = await ledger.pipelinesOfLicenses(asked);
    expect(Object.fromEntries([...held].sort(([a], [b]) => (a < b ? -1 : 1)))).toEqual(
      Object.fromEntries(
        [...foodIds.map((id) => [id, food]), ...drugIds.map((id) => [id, drug])].sort(([a], [b]) =>
          (a as string) < (b as string) ? -1 : 1,
        ),
      ),
    );
    expect(await ledger.pipelinesOfLicenses([])).toEqual(new Map());
  });

  it("reads a pipeline's licenses again by id, at their latest version", async () => {
    const asked = [...UNKNOWN, ...drugIds, ...foodIds];
    const again = await ledger.licensesAtTargetByIds(food, 'province', asked);
    expect(again.map((l) => [l.licenseId, l.version]).sort()).toEqual(
      [
        [foodIds[0], 2],
        [foodIds[1], 1],
        [foodIds[2], 1],
      ].sort(),
    );
    const page = await ledger.licensesAtTarget(food, 'province', '', 10);
    expect(again.sort((a, b) => (a.licenseId < b.licenseId ? -1 : 1))).toEqual(page);
  });
});
