/**
 * The reads of one pipeline's reminders — the pending ones a `lifecycle run --pipeline P` sends again
 * (ledger/reminders.ts `pending`) and `licbridge lifecycle reminders --pipeline P`'s counts by state
 * (`countByState`) — find P's rows through an index on the pipeline (migration 060), on a ledger of
 * 50,000 reminders where another pipeline has 20,000 pending (its gateway down for days) and P 50.
 * Without it they read every pending row (`reminders_state_target_idx`) or the whole table. Plans
 * are asked of the database itself for the statements the calls issued (plan-harness.ts); on
 * PostgreSQL each is run and the rows it read counted.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../ledger/db.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { type ReminderStore, reminderStore } from '../../ledger/reminders.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { analyzeOwnTables, planProbe, recordingDb, type Statement, seriesOf } from './plan-harness.js';
import { rawKnex } from './raw-knex.js';

const ROWS = 50_000;
/** The other pipeline's pending rows; the rest of its rows are sent. */
const OTHER_PENDING = 20_000;
/** Pipeline p's rows: half pending. */
const OWN = 100;
/** Rows a read of p's reminders may read: p's, and as many again. */
const MAX_READ = 2 * OWN;

for (const backend of BACKENDS) {
  describe(`the reads of one pipeline's reminders (${backend.name})`, () => {
    const pg = backend.name === 'postgres';
    let database: TestDatabase;
    let k: Knex;
    let db: Db;
    let store: ReminderStore;
    const seen: Statement[] = [];
    let plansOf: ReturnType<typeof planProbe>['plansOf'];
    let expectIndexed: ReturnType<typeof planProbe>['expectIndexed'];

    beforeAll(async () => {
      database = await backend.create();
      await (await openLedger(database.url, { logger: quietLogger })).close();
      k = rawKnex(database.url);
      const at = pg ? 'now()' : "'2026-01-01T00:00:00.000Z'";
      // Rows 1..OWN are p's (every other one pending); of the other pipeline's, the first
      // OTHER_PENDING after them are pending.
      await k.raw(
        `insert into reminders (reminder_key, license_id, version, pipeline, target, key_target, threshold,
                                valid_to, days_left, due_day, state, attempts, created_at, updated_at)
         select 'L' || g.value || ':1:30', 'L' || g.value, 1,
                case when g.value <= ${OWN} then 'p' else 'other' end, 'sms', 'sms', 30, '2031-03-05', 30,
                '2031-02-03',
                case when g.value <= ${OWN} and g.value % 2 = 0 then 'pending'
                     when g.value > ${OWN} and g.value <= ${OWN + OTHER_PENDING} then 'pending'
                     else 'sent' end, 0, ${at}, ${at}
           from ${seriesOf(pg, ROWS)}`,
      );
      await analyzeOwnTables(k, pg);
      db = recordingDb(k, backend.name, seen);
      store = reminderStore(db);
      ({ plansOf, expectIndexed } = planProbe(k, pg, seen, { reminders: 'pipeline' }));
    }, 180_000);

    afterAll(async () => {
      await k?.destroy();
      await database?.dispose();
    });

    it("reads the pending reminders of the run's pipeline through the pipeline's index", async () => {
      let pending: Awaited<ReturnType<ReminderStore['pending']>> = [];
      const plans = await plansOf(async () => {
        pending = await store.pending(10_000, '2031-03-01', '2031-03-01', ['p']);
      });
      expect(pending).toHaveLength(OWN / 2);
      expect(new Set(pending.map((r) => r.pipeline))).toEqual(new Set(['p']));
      expectIndexed(plans, MAX_READ);
    });

    it("counts one pipeline's reminders by state through the pipeline's index", async () => {
      let counts: Awaited<ReturnType<ReminderStore['countByState']>> | undefined;
      const plans = await plansOf(async () => {
        counts = await store.countByState({ pipeline: 'p' });
      });
      expect(counts).toEqual({ pending: OWN / 2, sent: OWN / 2, skipped: 0, dropped: 0 });
      expectIndexed(plans, MAX_READ);
    });
  });
}
