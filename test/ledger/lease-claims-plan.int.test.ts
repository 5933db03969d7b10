/**
 * The statements of a lease's life — a claim's read of the rows kept and update of the rows taken
 * (ledger/leases.ts), a release, the outcome and attempts a sender records (a failed send's, a
 * failed status request's), the read of a wave's rows back and of their predecessors' states —
 * reach the rows they name through the table's key, and read about as many rows as they name, on a
 * ledger of 50,500 deliveries and 50,000 reminders with fresh statistics, a tenth of them open and
 * (deliveries) a tenth awaiting a platform's review: each backlog ten times a wave. Each statement
 * runs once per wave of a run: planned as a scan of the table, or of every open row of a target, a
 * run's work would grow with the square of its size. Plans are asked of the database itself for the
 * statements the calls issued, as they issued them, in a transaction with the settings the call
 * made; on PostgreSQL each is run (EXPLAIN ANALYZE, rolled back) and the rows it read counted
 * (plan-harness.ts).
 * Without `planByKey` (ledger/leases.ts) PostgreSQL planned both releases here as a `Seq Scan`;
 * so it did the read of a wave's deliveries back (ensureDeliveries, getDeliveries) while its ids went
 * as an `IN` list (ledger/deliveries.ts readDeliveries). Without `keyedState` (ledger/leases.ts) it
 * read all 5,050 open deliveries of the target for a failed send's attempt (`deliveries_open_idx`,
 * its condition the target alone), and all 5,000 pending reminders for a claim's read of those it
 * keeps (`reminders_state_target_idx`). */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../ledger/db.js';
import { ensureDeliveries, getDeliveries, recordDeliveryAttempt } from '../../ledger/deliveries.js';
import { claimDeliveries, releaseDeliveries } from '../../ledger/delivery-claims.js';
import { resolveDeliveryKeys } from '../../ledger/delivery-keys.js';
import { deliveryPredecessors } from '../../ledger/delivery-order.js';
import { recordDeliveryOutcomes } from '../../ledger/delivery-outcomes.js';
import { claimReminders, releaseReminders } from '../../ledger/reminder-claims.js';
import { deliveryKey } from '../../ledger/rows.js';
import { BACKENDS, type TestDatabase } from './backends.js';
import {
  analyzeOwnTables,
  largeLedger,
  type Plan,
  planProbe,
  recordingDb,
  type Statement,
  seriesOf,
} from './plan-harness.js';

const SEED = 500;
const COPIES = 100;
const REMINDERS = 50_000;
/** One row in this many is open (`pending`); the rest are done, as in a ledger that has run a while. */
const OPEN_EVERY = 10;
/** A wave: this many open rows, the newest. */
const WAVE = 500;
/** The first column of each leased table's key: a statement about named rows finds them by it. */
const KEY: Record<string, string> = { deliveries: 'version_id', reminders: 'reminder_key' };
/**
 * Rows a statement about a wave may read of a leased table: the wave's, and as many again. The open
 * rows of the target are ten times a wave, and as many again await a review (`submitted`).
 */
const MAX_READ = 2 * WAVE;

for (const backend of BACKENDS) {
  describe(`the statements of a lease on a large ledger (${backend.name})`, () => {
    const pg = backend.name === 'postgres';
    let database: TestDatabase;
    let k: Knex;
    let db: Db;
    let deliveryKeys: string[] = [];
    let reminderKeys: string[] = [];
    const seen: Statement[] = [];
    let plansOf: ReturnType<typeof planProbe>['plansOf'];
    let expectWithin: ReturnType<typeof planProbe>['expectIndexed'];

    beforeAll(async () => {
      ({ database, k } = await largeLedger(backend, { seed: SEED, copies: COPIES }));
      const at = pg ? 'now()' : "'2026-01-01T00:00:00.000Z'";
      const state = (n: string, done: string) =>
        `case when ${n} % ${OPEN_EVERY} = 0 then 'pending' else '${done}' end`;
      await k.raw(
        `insert into deliveries (version_id, target, state, attempts, reasons, created_at, updated_at)
         select version_id, 'province',
                case when version_id % ${OPEN_EVERY} = ${OPEN_EVERY / 2} then 'submitted'
                     else ${state('version_id', 'accepted')} end, 0, '[]', ${at}, ${at}
           from license_versions order by version_id`,
      );
      await k.raw(
        `insert into reminders (reminder_key, license_id, version, pipeline, target, key_target, threshold,
                                valid_to, days_left, due_day, state, attempts, created_at, updated_at)
         select 'L' || g.value || ':1:30', 'L' || g.value, 1, 'p', 'sms', 'sms', 30, '2027-01-01', 30,
                '2026-12-02', ${state('g.value', 'sent')}, 0, ${at}, ${at}
           from ${seriesOf(pg, REMINDERS)}`,
      );
      await analyzeOwnTables(k, pg);

      const count = async (table: string) =>
        Number(((await k(table).count({ n: '*' })) as { n: unknown }[])[0]?.n);
      expect(await count('deliveries')).toBe(SEED * (COPIES + 1));
      expect(await count('reminders')).toBe(REMINDERS);
      const wave: { license_id: string; version: unknown }[] = await k('deliveries as d')
        .join('license_versions as v', 'v.version_id', 'd.version_id')
        .where('d.state', 'pending')
        .orderBy('d.version_id', 'desc')
        .limit(WAVE)
        .select('v.license_id', 'v.version');
      deliveryKeys = wave.map((r) => deliveryKey(r.license_id, Number(r.version), 'province'));
      reminderKeys = Array.from({ length: WAVE }, (_, i) => `L${REMINDERS - i * OPEN_EVERY}:1:30`);

      db = recordingDb(k, backend.name, seen);
      ({ plansOf, expectIndexed: expectWithin } = planProbe(k, pg, seen, KEY));
    }, 180_000);

    afterAll(async () => {
      await k?.destroy();
      await database?.dispose();
    });

    /**
     * Every statement reaches its rows through the table's key, none by reading the whole table or
     * every open row of a target (an index on the state), and reads about as many rows as it names.
     */
    const expectIndexed = (plans: readonly Plan[]) => expectWithin(plans, MAX_READ);

    it('claims and releases a wave of deliveries through their key', async () => {
      let claimed: string[] = [];
      expectIndexed(
        await plansOf(async () => {
          claimed = await claimDeliveries(db, deliveryKeys, 'sender-a', 60_000);
        }),
      );
      expect(claimed).toHaveLength(WAVE);
      expectIndexed(await plansOf(() => releaseDeliveries(db, deliveryKeys, 'sender-a')));
      // Claimed again by the other sender: its lease is the one the outcomes below respect.
      expect(await claimDeliveries(db, deliveryKeys, 'sender-b', 60_000)).toHaveLength(WAVE);
    });

    it('records a wave of attempts and outcomes through the key', async () => {
      expectIndexed(
        await plansOf(() =>
          recordDeliveryAttempt(db, deliveryKeys, { error: 'platform: timed out', reason: 'timeout' }),
        ),
      );
      let changed: string[] = [];
      expectIndexed(
        await plansOf(async () => {
          changed = await recordDeliveryOutcomes(
            db,
            deliveryKeys.map((key) => ({
              key,
              state: 'submitted',
              from: 'pending',
              unleased: { owner: 'sender-b' },
            })),
          );
        }),
      );
      expect(changed).toHaveLength(WAVE);
      // A status request that failed (deliver-polls.ts): an attempt on the wave, now `submitted`.
      expectIndexed(
        await plansOf(() =>
          recordDeliveryAttempt(
            db,
            deliveryKeys,
            { error: 'platform: status unknown', reason: 'unknown-status' },
            'submitted',
          ),
        ),
      );
    });

    it('reads a wave of deliveries back through their key', async () => {
      // Each wave a sender ensures its rows and reads them back (deliver.ts), as it claims them.
      const versionIds = (await resolveDeliveryKeys(db, deliveryKeys)).map((r) => r.versionId);
      let ensured: unknown[] = [];
      expectIndexed(
        await plansOf(async () => {
          ensured = await ensureDeliveries(db, versionIds, 'province');
        }),
      );
      expect(ensured).toHaveLength(WAVE);
      // Whether each one's predecessor landed (deliver.ts planWaves): a first version has none.
      expectIndexed(await plansOf(() => deliveryPredecessors(db, versionIds, 'province')));
      let read: unknown[] = [];
      expectIndexed(
        await plansOf(async () => {
          read = await getDeliveries(db, deliveryKeys);
        }),
      );
      expect(read).toHaveLength(WAVE);
    });

    it('claims and releases a wave of reminders through their key', async () => {
      let claimed: string[] = [];
      expectIndexed(
        await plansOf(async () => {
          claimed = (await claimReminders(db, reminderKeys, 'tick-a', 60_000)).claimed;
        }),
      );
      expect(claimed).toHaveLength(WAVE);
      expectIndexed(await plansOf(() => releaseReminders(db, reminderKeys, 'tick-a')));
    });
  });
}
