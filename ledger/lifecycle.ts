/**
 * The lifecycle clock's ledger side (pipelines/lifecycle/tick.ts): the tick watermark, and one
 * page of expiries per transaction.
 *
 * `expireDuePage` selects licenses still `valid` whose `valid_to` lies before today through the
 * (pipeline, status, valid_to) index (migration 012) — the day's expiries, not every license —
 * and writes each an `expire` version with its audit entry in the same transaction. The selection
 * itself makes a replay safe: a license expired by a committed page is no longer `valid`.
 *
 * Lock order, as `commitPage` takes it: on PostgreSQL the pipeline's checkpoint row first (a
 * concurrent extract of the same pipeline waits, so the two never both write version n+1 of one
 * license), then the selected license rows, then what the page writes (quarantine records and their
 * count rows, versions, its run), then the audit head: every entry of the page, its quarantine
 * records' too, goes in one append at the end. A sign or deliver job of the pipeline locks the
 * same count rows before the head; with the head taken early (to audit a record the page wrote
 * first), each waited on the other and PostgreSQL aborted one as a deadlock.
 *
 * A due license whose stored text is corrupt is set aside, the rest of the page written; once its
 * text is restored, the page that expires it closes its record (expiry-stored-text.ts).
 */
import type { Knex } from 'knex';
import { contentHash } from '../catalog/canonical.js';
import { buildIdentifier, MAX_VERSION } from '../catalog/identifier.js';
import type { License, LicenseStatus, Lineage } from '../catalog/license.js';
import { batchEntries } from './audit-batch.js';
import { type AuditInput, appendAudit } from './audit-chain.js';
import type { CorruptStoredText } from './audit-types.js';
import { type Db, nowIso, rowChunks, toInt } from './db.js';
import { clockNow } from './db-clock.js';
import {
  closeRestoredStoredText,
  type DueTexts,
  readDueTexts,
  setAsideStoredText,
} from './expiry-stored-text.js';
import { identifierColumn } from './identifier-column.js';
import type { CreatedVersion } from './ledger.js';
import { lineageColumn } from './lineage-column.js';
import { payloadColumn } from './payload-column.js';
import type { EndedFrom } from './repair-quarantine.js';
import { splitVersion, withVersionContext } from './version-context.js';
import { quarantineUnexpirable } from './version-limit.js';
import { insertVersions } from './versions-insert.js';

/** A pipeline's tick state. */
export interface LifecycleWatermark {
  pipeline: string;
  /** The last day whose tick finished, `YYYY-MM-DD`; `null` before the first. */
  day: string | null;
  /** The day of a tick that began and has not finished (crashed, or under way). */
  pendingDay: string | null;
  runId: string | null;
  /** Versions the last finished tick expired. */
  expired: number;
}

export interface ExpireDueInput {
  pipeline: string;
  /** Licenses whose `validTo` is before this day expire. */
  today: string;
  runId: string;
  limit: number;
  /**
   * The page starts after this license (the last one the tick's page before read, its `next`): the
   * ones that page set aside, their stored text corrupt, stay due, and are read past instead of
   * read again. A key, not their list: bound one parameter each, the list made every page's query
   * fail once a day set aside more than the database's parameter limit. @defaultValue the range's start
   */
  after?: DueKey;
}

/** A due license's place in the page order: `valid_to`, then license id. */
export interface DueKey {
  validTo: string;
  licenseId: string;
}

/** One page of expiries. */
export interface ExpiredPage {
  created: CreatedVersion[];
  /** Licenses of the page left `valid`, their stored text corrupt (`LB_STORED_TEXT`): ids only. */
  setAside: string[];
  /** Licenses the page read: fewer than `limit` means the day is done. */
  read: number;
  /** The last license the page read, where the next page starts (`after`); absent when it read none. */
  next?: DueKey;
}

/** The statuses derived expiry moves: revoked, cancelled, suspended and the rest keep theirs. */
const EXPIRING: LicenseStatus = 'valid';

export async function lifecycleWatermark(db: Db, pipeline: string): Promise<LifecycleWatermark | null> {
  const row = await db.read('lifecycleWatermark', (k) => k('lifecycle_ticks').where({ pipeline }).first());
  if (!row) return null;
  return {
    pipeline,
    day: row.day ?? null,
    pendingDay: row.pending_day ?? null,
    runId: row.run_id ?? null,
    expired: toInt(row.expired_count),
  };
}

/** Records the tick as under way and opens its run (mode `lifecycle`); both idempotent. */
export async function beginLifecycleTick(
  db: Db,
  input: { pipeline: string; day: string; runId: string; owner?: string },
): Promise<void> {
  await db.write('beginLifecycleTick', async (trx) => {
    const now = nowIso();
    await trx('lifecycle_ticks')
      .insert({
        pipeline: input.pipeline,
        day: null,
        pending_day: input.day,
        run_id: input.runId,
        expired_count: 0,
        updated_at: now,
      })
      .onConflict('pipeline')
      .merge(['pending_day', 'run_id', 'updated_at']);
    await trx('runs')
      .insert({
        run_id: input.runId,
        pipeline: input.pipeline,
        mode: 'lifecycle',
        state: 'running',
        started_at: now,
        ...(input.owner ? { owner: input.owner, heartbeat_at: clockNow(db, trx) } : {}),
      })
      .onConflict('run_id')
      .ignore();
  });
}

/**
 * The tick of `day` is complete: the run's extraction is over, and the watermark moves — if the
 * tick is still the one under way. A tick running past midnight may end after the next day's tick
 * closed it and began its own day: recording its day then would take the watermark back a day (the
 * next day's retry ticking again under a new run) and clear the day under way (a tick of it that
 * died would not be resumed, its run left `running`).
 *
 * Says whether it recorded the day: the tick reports `ticked` or `taken-over` from this answer, as a
 * read of the watermark after it would see a later day's tick that began meanwhile.
 */
export async function finishLifecycleTick(
  db: Db,
  input: { pipeline: string; day: string; runId: string; expired: number },
): Promise<boolean> {
  return db.write('finishLifecycleTick', async (trx) => {
    const now = nowIso();
    const moved = await trx('lifecycle_ticks')
      .where({ pipeline: input.pipeline, pending_day: input.day, run_id: input.runId })
      .update({ day: input.day, pending_day: null, expired_count: input.expired, updated_at: now });
    await trx('runs').where({ run_id: input.runId }).whereNull('extracted_at').update({ extracted_at: now });
    return toInt(moved) > 0;
  });
}

interface DueRow extends DueTexts {
  license_id: string;
  source_key: string;
  valid_to: string;
  latest_version: unknown;
}

/** One page of the day's expiries, written in one transaction; fewer read than `limit` means the day is done. */
export async function expireDuePage(db: Db, input: ExpireDueInput): Promise<ExpiredPage> {
  return db.write('expireDue', async (trx) => {
    const now = nowIso();
    // SQLite: a write first takes the database's write lock before anything is read (db.ts).
    // PostgreSQL: the checkpoint row lock is the one `commitPage` takes first for this pipeline.
    await trx('lifecycle_ticks').where({ pipeline: input.pipeline }).update({ updated_at: now });
    if (db.dialect === 'postgres') {
      await trx('checkpoints').select('pipeline').where({ pipeline: input.pipeline }).forUpdate();
      // The page's reads are index ranges of the day's expiries. PostgreSQL's statistics cannot
      // tell that `valid` licenses with a past `valid_to` are few (each condition alone holds for
      // many), so it planned the last page's look for licenses at their last version as a parallel
      // bitmap scan: 35 ms of starting workers on a 1,000,000-license ledger, for a range the
      // index walks in well under 1 ms. `SET LOCAL` ends with the page's transaction.
      await trx.raw('set local max_parallel_workers_per_gather = 0');
    }
    // One statement: the page of due licenses (the index range) with their latest payloads,
    // the license rows locked on PostgreSQL until the page commits.
    const due = duePageQuery(trx, input);
    const rows: DueRow[] = await (db.dialect === 'postgres' ? due.forUpdate('l') : due);
    // The day's last page: licenses it left out at their last version are kept apart (version-limit.ts).
    // Their audit entries wait for the page's own: the head is locked last.
    const audit: AuditInput[] =
      rows.length < input.limit ? await quarantineUnexpirable(trx, db, input, now) : [];
    const lastRow = rows.at(-1);
    if (!lastRow) {
      await appendAudit(db, trx, audit);
      return { created: [], setAside: [], read: 0 };
    }
    const next: DueKey = { validTo: lastRow.valid_to, licenseId: lastRow.license_id };
    const versions: ReturnType<typeof expireVersion>[] = [];
    /** The licenses the page expires, each with the version it read. */
    const expiring: EndedFrom[] = [];
    const corrupt: CorruptStoredText[] = [];
    for (const r of rows) {
      const read = readDueTexts(r);
      if ('problem' in read)
        corrupt.push({
          licenseId: r.license_id,
          version: toInt(r.latest_version),
          sourceKey: r.source_key,
          problem: read.problem,
        });
      else {
        versions.push(expireVersion(r, read.license, read.lineage, input.runId, now));
        expiring.push({ sourceKey: r.source_key, licenseId: r.license_id, version: toInt(r.latest_version) });
      }
    }
    audit.push(...(await setAsideStoredText(trx, db, input, corrupt, now)));
    const setAsideIds = corrupt.map((c) => c.licenseId);
    if (versions.length === 0) {
      await appendAudit(db, trx, audit);
      return { created: [], setAside: setAsideIds, read: rows.length, next };
    }
    // Written as a run's page writes its versions (versions-insert.ts): on PostgreSQL one statement
    // with their contexts, where a page of 500 bound as ~6,000 parameters took PostgreSQL longer to
    // parse and bind than to insert.
    const created = await insertVersions(
      db,
      trx,
      versions.map((v) => ({ ...v.insert, context: v.context })),
    );
    await markExpired(
      db,
      trx,
      versions.map((v) => v.insert),
      now,
    );
    await trx('runs').where({ run_id: input.runId }).increment({ created_count: created.length });
    // A license an earlier tick set aside whose text was restored since: its record is closed.
    await closeRestoredStoredText(trx, db, input.pipeline, expiring, now);
    const actor = `lifecycle:${input.pipeline}`;
    // The page's quarantine entries, then its expiries in one entry binding them all, as a run's
    // new versions (audit-batch.ts).
    await appendAudit(db, trx, [
      ...audit,
      ...batchEntries(
        created.map((c, i) => {
          const digest = versions[i]?.insert.content_hash ?? null;
          return {
            versionId: c.versionId,
            tuple: [c.licenseId, c.version, digest],
            single: {
              action: 'expire' as const,
              actor,
              licenseId: c.licenseId,
              version: c.version,
              digest,
              detail: { runId: input.runId, versionId: c.versionId, today: input.today },
            },
          };
        }),
        () => ({ runId: input.runId, today: input.today }),
      ),
    ]);
    return { created, setAside: setAsideIds, read: rows.length, next };
  });
}

/**
 * The licenses' new latest version: one statement per chunk on PostgreSQL, per row on SQLite
 * (in-process). `content_hash` is '' as commitPage writes it (migration 026): the latest
 * version's row holds it, and every reader takes it from there.
 */
async function markExpired(
  db: Db,
  trx: Knex.Transaction,
  rows: readonly { license_id: string; version: number }[],
  now: string,
): Promise<void> {
  if (db.dialect !== 'postgres') {
    for (const r of rows) {
      await trx('licenses').where({ license_id: r.license_id }).update({
        latest_version: r.version,
        content_hash: '',
        status: 'expired',
        updated_at: now,
      });
    }
    return;
  }
  for (const part of rowChunks(db, rows, 2)) {
    await trx.raw(
      `update licenses as l set latest_version = v.ver, content_hash = '', status = 'expired', updated_at = ?
         from (values ${part.map(() => '(?, ?::int)').join(', ')}) as v(id, ver)
        where l.license_id = v.id`,
      [now, ...part.flatMap((r) => [r.license_id, r.version])],
    );
  }
}

/**
 * The index range — still `valid`, `valid_to` before today (long-term licenses have none) — with
 * each latest version and its context; exported for bench/lifecycle-tick.ts, which runs it as is.
 */
export function duePageQuery(k: Knex, input: Pick<ExpireDueInput, 'pipeline' | 'today' | 'limit' | 'after'>) {
  const q = k('licenses as l')
    .join('license_versions as v', function on() {
      this.on('v.license_id', '=', 'l.license_id').andOn('v.version', '=', 'l.latest_version');
    })
    .select(
      'l.license_id',
      'l.source_key',
      'l.valid_to',
      'l.latest_version',
      'v.content_hash',
      'v.content_hash_bytes',
      'v.payload',
      'v.lineage',
      'v.pipeline',
      'v.run_id',
    );
  // A license at its last version takes no `expire` version: left out (version-limit.ts).
  return (
    withVersionContext(q, 'v')
      .where({ 'l.pipeline': input.pipeline, 'l.status': EXPIRING })
      .where('l.valid_to', '<', input.today)
      .where('l.latest_version', '<', MAX_VERSION)
      // After the page before's last license: what it read is expired or set aside. Written as
      // `valid_to >= a and (valid_to > a or license_id > b)`, not a row comparison, so both
      // databases take `valid_to >= a` as the start of the index range.
      .modify((q) => {
        const after = input.after;
        if (!after) return;
        q.where('l.valid_to', '>=', after.validTo).andWhere((w) => {
          w.where('l.valid_to', '>', after.validTo).orWhere('l.license_id', '>', after.licenseId);
        });
      })
      .orderBy([
        { column: 'l.valid_to', order: 'asc' },
        { column: 'l.license_id', order: 'asc' },
      ])
      .limit(input.limit)
  );
}

/** How many licenses of a pipeline the tick of `today` would expire (the same index range). */
export async function countDue(db: Db, pipeline: string, today: string): Promise<number> {
  const row = await db.read('countDue', (k) =>
    k('licenses')
      .count({ n: '*' })
      .where({ pipeline, status: EXPIRING })
      .where('valid_to', '<', today)
      .where('latest_version', '<', MAX_VERSION)
      .first(),
  );
  return toInt((row as { n: unknown } | undefined)?.n ?? 0);
}

function expireVersion(row: DueRow, previous: License, lineage: Lineage, runId: string, now: string) {
  // The tick's own version, split as a run's are: the row keeps what is its own and names the rest.
  const version = toInt(row.latest_version) + 1;
  const [typeCode, issuerCode, serial] = row.license_id.split('.').slice(-3) as [string, string, string];
  const { identifier: _previous, ...content } = previous;
  // The same license with status `expired`: what the mapper yields for the source row from now
  // on (derived expiry), so the next run finds the content unchanged.
  const license: License = {
    identifier: buildIdentifier({ typeCode, issuerCode, serial, version }),
    ...content,
    status: 'expired',
  };
  const hash = contentHash(license);
  const texts = splitVersion(
    payloadColumn(license),
    license,
    lineageColumn({ ...lineage, runId }, lineage.pipeline, runId),
  );
  return {
    context: texts.context,
    insert: {
      license_id: row.license_id,
      version,
      pipeline: lineage.pipeline,
      identifier: identifierColumn(row.license_id, version, license.identifier),
      content_hash: hash,
      status: 'expired' as LicenseStatus,
      operation: 'expire' as const,
      payload: texts.payload,
      lineage: texts.lineage,
      run_id: runId,
      created_at: now,
    },
  };
}
