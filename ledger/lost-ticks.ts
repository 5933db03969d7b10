/**
 * Daily lifecycle ticks a worker gave up (migration 035; pipelines/lifecycle/lost-ticks.ts): kept
 * in the ledger, not only in a worker's log or in Redis (gone after a flush or a failover), so
 * `status` can name the day until a tick finishes after it.
 *
 * A loss is recorded by the worker that gave the tick up and settled by a tick on any host (a
 * `lifecycle run` on an operator's machine), so both instants are the ledger's clock
 * (db-clock.ts), not each host's: stamped with the recording host's clock and compared with the
 * ticking host's, a worker minutes ahead left the loss unsettled by the `lifecycle run` that
 * `status` asks for, and one minutes behind had a tick already running settle it.
 */
import { type Db, toDate } from './db.js';
import { clockNow, readClock } from './db-clock.js';

export interface LostTick {
  jobId: string;
  /** The day it was lost on, `YYYY-MM-DD` in lifecycle.timeZone. */
  day: string;
  lostAt: Date;
  /** Why it was given up: job ids and counts only. */
  reason: string;
}

export interface LostTicks {
  /** Records a tick given up; the same job recorded again keeps its first record. */
  record(tick: { jobId: string; day: string; reason: string }): Promise<void>;
  /**
   * Ticks lost that no finished tick has settled yet, oldest first; losses of one instant (the
   * ledger's clock keeps milliseconds) by job id, not in the order they were recorded.
   */
  unsettled(): Promise<LostTick[]>;
  /** The ledger's time now: a tick takes its start from it, to settle by (see above). */
  now(): Promise<Date>;
  /**
   * A tick that started at `startedAt` (by the ledger's clock, {@link LostTicks.now}) finished for
   * `day`: every tick lost before it started, on that day or earlier, is settled. Returns how many.
   */
  settle(startedAt: Date, day: string): Promise<number>;
}

interface LostTickRow {
  job_id: string;
  day: string;
  lost_at: unknown;
  reason: string;
}

export function lostTicks(db: Db): LostTicks {
  return {
    async record(tick) {
      await db.write('recordLostTick', async (trx) => {
        await trx('lifecycle_lost_ticks')
          .insert({ job_id: tick.jobId, day: tick.day, reason: tick.reason, lost_at: clockNow(db, trx) })
          .onConflict('job_id')
          .ignore();
      });
    },
    async unsettled() {
      return db.read('unsettledLostTicks', async (k) => {
        const rows: LostTickRow[] = await k('lifecycle_lost_ticks')
          .select('job_id', 'day', 'lost_at', 'reason')
          .whereNull('settled_at')
          .orderBy([{ column: 'lost_at' }, { column: 'job_id' }]);
        return rows.map((r) => ({
          jobId: r.job_id,
          day: r.day,
          lostAt: toDate(r.lost_at),
          reason: r.reason,
        }));
      });
    },
    async now() {
      return db.read('ledgerClock', (k) => readClock(db, k));
    },
    async settle(startedAt, day) {
      return db.write('settleLostTicks', async (trx) => {
        const n = await trx('lifecycle_lost_ticks')
          .whereNull('settled_at')
          .andWhere('lost_at', '<', startedAt.toISOString())
          .andWhere('day', '<=', day)
          .update({ settled_at: clockNow(db, trx) });
        return Number(n);
      });
    },
  };
}
