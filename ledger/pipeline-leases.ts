/**
 * One run of a pipeline at a time: the pipeline's lease (migration 042), held by a run and renewed
 * by the process working it, as deliveries and reminders are leased to their senders
 * (ledger/leases.ts). Two runs of one pipeline at once read the source twice and raced for its
 * checkpoint; a run takes the lease before it reads, and a second run finds it held and is told by
 * whom. A lease ends when its holder lets it go, when it runs out (its process was killed and
 * renews it no more), or when the caller judged its process dead and names it — not when its run
 * ends: `licbridge run` goes on after its run is marked `done` (by the job that delivers its last
 * version), finishing earlier runs' work, emptying the queues and making its light check, which
 * reads the source and must not meet another run's extraction.
 * Of two runs claiming at once the database lets one update the row; the other's condition no
 * longer holds when its update runs, and it changes nothing. A lease answers to its holder (the
 * process renewing it): only it renews it or lets it go, as two copies of one extract job, working
 * one run in two processes, each renew and end on their own.
 */
import type { Knex } from 'knex';
import { type Db, toDate, toDateOrNull } from './db.js';
import { clockAfter, clockNow, withReadAt } from './db-clock.js';

/** The run holding a pipeline. */
export interface PipelineHolder {
  pipeline: string;
  runId: string;
  /** `<host> <pid>` of the process renewing the lease. */
  holder: string;
  startedAt: Date;
  /** The lease runs out then unless renewed. */
  until: Date;
  /**
   * The ledger's time when the lease was read: `until` is judged against it, not the reader's host
   * clock (db-clock.ts).
   */
  readAt: Date;
}

/** The last scheduled firing of a pipeline that found it held. */
export interface SkippedFiring {
  pipeline: string;
  at: Date;
  /** The scheduled run that was not started. */
  runId: string;
  /** The run that held the pipeline. */
  heldBy: string;
  /** Scheduled firings skipped since the pipeline's lease was last taken. */
  skips: number;
}

export interface PipelineClaim {
  pipeline: string;
  runId: string;
  holder: string;
  /**
   * How long the lease lasts, ms, from the ledger's time when it is written (db-clock.ts): a lease
   * ends by the one clock every holder and claimer reads, not by the claimer's host clock.
   */
  forMs: number;
  /**
   * A run and the holder the caller judged dead: the lease is taken over while that holder still
   * holds it. Not by the run alone: another process of the run may have adopted the lease since the
   * caller read it (`renew` with `adoptAfterMs`), and that live holder keeps it.
   */
  takeOver?: { runId: string; holder: string };
}

export interface PipelineLeases {
  /** Leases the pipeline to the run; null when the run now holds it, else the run that does. */
  claim(claim: PipelineClaim): Promise<PipelineHolder | null>;
  /**
   * Renews the run's lease held by `holder`; false when the run holds it no more (taken over
   * meanwhile). The run's lease held by another holder (another process working the same run) is
   * left to it, and true; with `adoptAfterMs`, one that holder has not renewed for that long is
   * taken over: renewed, it would last `forMs`; it lasts less than `forMs - adoptAfterMs` now.
   */
  renew(
    pipeline: string,
    runId: string,
    holder: string,
    forMs: number,
    adoptAfterMs?: number,
  ): Promise<boolean>;
  /** Ends the run's lease, if it still holds it and `holder` does. */
  release(pipeline: string, runId: string, holder: string): Promise<void>;
  /** Records a scheduled firing skipped because `heldBy` held the pipeline. */
  recordSkip(pipeline: string, runId: string, heldBy: string): Promise<void>;
  /** The run holding the pipeline (its lease may have run out), or null. */
  holderOf(pipeline: string): Promise<PipelineHolder | null>;
  /** The last skipped firing of the pipeline, or null. */
  lastSkip(pipeline: string): Promise<SkippedFiring | null>;
}

interface LeaseRow {
  pipeline: string;
  run_id: string | null;
  holder: string | null;
  started_at: unknown;
  claimed_until: unknown;
  skipped_at: unknown;
  skipped_run: string | null;
  skipped_for: string | null;
  skips: unknown;
  read_at: unknown;
}

function holderOf(row: LeaseRow | undefined): PipelineHolder | null {
  if (!row?.run_id) return null;
  return {
    pipeline: row.pipeline,
    runId: row.run_id,
    holder: row.holder ?? '-',
    startedAt: toDate(row.started_at),
    until: toDate(row.claimed_until),
    readAt: toDate(row.read_at),
  };
}

async function readRow(db: Db, k: Knex | Knex.Transaction, pipeline: string): Promise<LeaseRow | undefined> {
  return withReadAt(db, k, 'pipeline_leases').where({ pipeline }).first();
}

export function pipelineLeases(db: Db): PipelineLeases {
  return {
    async claim(c) {
      return db.write('claimPipeline', async (trx) => {
        // The ledger's time, not this host's (db-clock.ts).
        const now = clockNow(db, trx);
        const until = clockAfter(db, trx, c.forMs);
        // The first statement writes (SQLite's write lock, see db.ts): the pipeline's row, free.
        const inserted: unknown[] = await trx('pipeline_leases')
          .insert({
            pipeline: c.pipeline,
            run_id: c.runId,
            holder: c.holder,
            started_at: now,
            claimed_until: until,
          })
          .onConflict('pipeline')
          .ignore()
          .returning('pipeline');
        if (inserted.length > 0) return null;
        const taken: unknown[] = await trx('pipeline_leases')
          .where({ pipeline: c.pipeline })
          .andWhere((free) => {
            free
              .whereNull('run_id')
              .orWhere('run_id', c.runId)
              // Run out. A lease whose run has ended is not free by that: its holder renews it
              // while it still works the pipeline (`licbridge run` settling after its run is done).
              .orWhere('claimed_until', '<', now);
            const gone = c.takeOver;
            if (gone !== undefined) free.orWhere({ run_id: gone.runId, holder: gone.holder });
          })
          .update({
            // The run's own lease renewed keeps its start; a new holder starts it now.
            started_at: trx.raw('case when run_id = ? then started_at else ? end', [c.runId, now]),
            run_id: c.runId,
            // The run's own lease keeps the process renewing it (`licbridge run`'s, not the worker's
            // whose extract job looked).
            holder: trx.raw('case when run_id = ? then holder else ? end', [c.runId, c.holder]),
            claimed_until: until,
            skips: trx.raw('case when run_id = ? then skips else 0 end', [c.runId]),
          })
          .returning('pipeline');
        if (taken.length > 0) return null;
        return holderOf(await readRow(db, trx, c.pipeline));
      });
    },

    async renew(pipeline, runId, holder, forMs, adoptAfterMs) {
      return db.write('renewPipeline', async (trx) => {
        const renewed = await trx('pipeline_leases')
          .where({ pipeline, run_id: runId })
          .andWhere((own) => {
            // Two copies of one extract job (a stalled job handed to another worker while the
            // first still reads) share the run, and its lease: renewed by whichever renewed last,
            // one copy ending let go of the lease the other still read under. The holder's own
            // lease only, or one its holder stopped renewing while it had most of it left: a
            // third run can take it only once it runs out.
            own.where({ holder });
            if (adoptAfterMs !== undefined)
              own.orWhere('claimed_until', '<', clockAfter(db, trx, forMs - adoptAfterMs));
          })
          .update({ holder, claimed_until: clockAfter(db, trx, forMs) });
        if (renewed > 0) return true;
        // Left to the run's other holder, which renews it: the run still holds the pipeline.
        return (
          (await trx('pipeline_leases').where({ pipeline, run_id: runId }).first('pipeline')) !== undefined
        );
      });
    },

    async release(pipeline, runId, holder) {
      await db.write('releasePipeline', (trx) =>
        trx('pipeline_leases')
          .where({ pipeline, run_id: runId, holder })
          .update({ run_id: null, holder: null, claimed_until: null }),
      );
    },

    async recordSkip(pipeline, runId, heldBy) {
      await db.write('recordSkip', (trx) =>
        trx('pipeline_leases')
          .where({ pipeline })
          .update({
            skipped_at: clockNow(db, trx),
            skipped_run: runId,
            skipped_for: heldBy,
            skips: trx.raw('skips + 1'),
          }),
      );
    },

    async holderOf(pipeline) {
      return db.read('pipelineHolder', async (k) => holderOf(await readRow(db, k, pipeline)));
    },

    async lastSkip(pipeline) {
      return db.read('lastSkip', async (k) => {
        const row = await readRow(db, k, pipeline);
        const at = toDateOrNull(row?.skipped_at);
        if (!row || !at || !row.skipped_run) return null;
        return {
          pipeline,
          at,
          runId: row.skipped_run,
          heldBy: row.skipped_for ?? '-',
          skips: Number(row.skips ?? 0),
        };
      });
    },
  };
}
