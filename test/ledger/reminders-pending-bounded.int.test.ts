/**
 * A tick reads the pending reminders (10,000 at most), each notify target's in turns. The read took
 * up to the limit of full rows of each target and kept the limit of them all: T targets, T times
 * the limit in memory. It now reads what it keeps, in the same order. Counted as the rows the
 * driver hands over, on both backends.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../ledger/db.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { reminderStore } from '../../ledger/reminders.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { countedDb } from './counted-db.js';
import { uniqueName } from './fixtures.js';

describe.each(BACKENDS)('pending reminders of several targets ($name)', (backend) => {
  let database: TestDatabase;
  let k: Knex;
  let db: Db;
  /** The rows of each answer the driver handed over. */
  const answers: number[] = [];

  beforeAll(async () => {
    database = await backend.create();
    // The ledger's schema, migrated.
    await (await openLedger(database.url, { logger: quietLogger })).close();
    ({ knex: k, db } = countedDb(database.url, backend.name, answers));
  });
  afterAll(async () => {
    await k?.destroy();
    await database?.dispose();
  });

  it('reads no more rows than it keeps, each target in turns', async () => {
    const store = reminderStore(db);
    const pipeline = uniqueName('p');
    const targets = ['gw-a', 'gw-b', 'gw-c', 'gw-d'];
    await store.open(
      targets.flatMap((target) =>
        [1, 2, 3, 4, 5].map((n) => ({
          licenseId: `L-${target}-${n}`,
          version: 1,
          pipeline,
          target,
          threshold: 7,
          validTo: '2031-03-05',
          daysLeft: 7,
          dueDay: '2031-02-26',
        })),
      ),
    );
    answers.length = 0;
    const pending = await store.pending(6, '2031-02-27', '2031-02-27', [pipeline]);
    // Each target's first, then the first two targets' second.
    expect(pending.map((r) => r.licenseId)).toEqual([
      'L-gw-a-1',
      'L-gw-b-1',
      'L-gw-c-1',
      'L-gw-d-1',
      'L-gw-a-2',
      'L-gw-b-2',
    ]);
    expect(answers.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(6);
  });
});
