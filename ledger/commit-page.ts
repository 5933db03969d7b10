/**
 * `commitPage`: the hot path. One transaction writes a page's new license versions, its
 * quarantine records, the run's counts and the checkpoint — so a crash replays at most one page,
 * and the replay finds every content hash unchanged and writes no version.
 *
 * A page is 500–5,000 rows: licenses are looked up with one `IN` select per chunk and written
 * with multi-row statements, never row by row.
 */
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { LicenseOperation, LicenseStatus, Lineage } from '../catalog/license.js';
import { ErrorCodes, LicbridgeError } from '../core/errors.js';
import { DEFAULT_TIME_ZONE, localDate } from '../core/local-date.js';
import { batchEntries } from './audit-batch.js';
import { appendAudit } from './audit-chain.js';
import { writeCheckpoint } from './commit-page-chain.js';
import { countPageInRun } from './commit-page-run.js';
import { type Db, nowIso } from './db.js';
import { readClock } from './db-clock.js';
import { identifierColumn } from './identifier-column.js';
import type { CommitPageInput, CommitPageResult } from './ledger.js';
import {
  type LicenseWrite,
  loadLatest,
  type SourceUpdate,
  updateSourceColumns,
  upsertLicenses,
} from './license-rows.js';
import { lineageFields } from './lineage-column.js';
import { keepNulKeysOut } from './nul-text.js';
import { payloadColumn } from './payload-column.js';
import {
  insertQuarantineBound,
  type PageQuarantineRow,
  writePageQuarantinePg,
} from './pg-page-quarantine.js';
import { freshenStatistics } from './pg-statistics.js';
import { cleanReadCloseSql } from './quarantine-merge.js';
import { countQuarantineReasons } from './quarantine-reason-counts.js';
import { closeCleanReadAtLimit } from './quarantine-unexpirable-read.js';
import { writeHolderContacts } from './reminders.js';
import { countAbsentElements } from './run-absent-elements.js';
import { moveStateGuard } from './state-guard.js';
import { splitVersionFields } from './version-context.js';
import { stillUnexpirable, takesAnotherVersion, versionLimitRecord } from './version-limit.js';
import { insertVersions, type VersionInsert } from './versions-insert.js';

/** What a status change does at a platform; a change of content alone is an `update`. */
export function operationFor(from: LicenseStatus, to: LicenseStatus): LicenseOperation {
  if (from === to) return 'update';
  if (to === 'revoked') return 'revoke';
  if (to === 'suspended') return 'suspend';
  if (from === 'suspended' && to === 'valid') return 'resume';
  if (to === 'cancelled') return 'cancel';
  if (to === 'expired') return 'expire';
  if (to === 'moved-out') return 'transfer-out';
  return 'update';
}

/**
 * The mapping context of a stored source fingerprint: the same raw row maps to the same license
 * only under the same mapping and catalog, so reconciliation trusts a fingerprint only when its
 * context is the current one (ledger/reconcile-store.ts).
 */
export function fingerprintContext(lineage: Pick<Lineage, 'mappingVersion' | 'catalogVersion'>): string {
  return createHash('md5')
    .update(`${lineage.mappingVersion}\u001f${lineage.catalogVersion}`, 'utf8')
    .digest('hex')
    .slice(0, 16);
}

/** A version row to insert (pg-versions-insert.ts), its status and operation of their own types. */
/** A page mapped on one day reached its commit on the next (see `CommitPageInput.mappedOn`). */
export class PageMappedOnAnotherDay extends LicbridgeError {
  constructor(day: string) {
    super(
      ErrorCodes.INTERNAL,
      `ledger: a page mapped on ${day} reached its commit on another day; map it again`,
      {
        retryable: true,
      },
    );
    this.name = 'PageMappedOnAnotherDay';
  }
}

/**
 * PostgreSQL: another writer committed a version of one of the page's licenses after the page read
 * their latest versions — a reconcile repair, or a lifecycle tick of a pipeline with no checkpoint
 * row (`source forget`): both lock the license rows, not the checkpoint row this page holds. The
 * page wrote nothing. Retryable: read again from the source, the page is judged against the
 * version now stored, and the source says whether the row the repair took for deleted is back.
 */
export class PageLicenseWrittenMeanwhile extends LicbridgeError {
  constructor(pipeline: string, runId: string, cause: unknown) {
    // No license id in the message: the source key behind it may be an ID number.
    super(
      ErrorCodes.LEDGER,
      `ledger: commitPage stopped: another writer (a repair, a lifecycle tick) committed a version of one of this page's licenses since the page read them; nothing was written, read the page again`,
      { retryable: true, context: { pipeline, runId }, cause },
    );
    this.name = 'PageLicenseWrittenMeanwhile';
  }
}

/** The (license, version) pair a version insert found taken: the unique index's name (migration 001). */
const LICENSE_VERSION_UNIQUE = 'license_versions_license_version_uq';
/** The same since migration 056: the exclusion constraint over the pair's hash. */
const LICENSE_VERSION_EXCLUSION = 'license_versions_license_version_excl';

/** Whether `e` is PostgreSQL's unique (or, since 056, exclusion) violation of a (license, version) pair. */
function versionTaken(e: unknown): boolean {
  const { code, constraint } = (e ?? {}) as { code?: unknown; constraint?: unknown };
  return (
    (code === '23505' && constraint === LICENSE_VERSION_UNIQUE) ||
    (code === '23P01' && constraint === LICENSE_VERSION_EXCLUSION)
  );
}

/**
 * `timeZone` (`lifecycle.timeZone`) tells the day of a page given without the day its rows were
 * mapped on (`mappedOn`).
 */
export async function commitPage(
  db: Db,
  page: CommitPageInput,
  timeZone: string = DEFAULT_TIME_ZONE,
): Promise<CommitPageResult> {
  // PostgreSQL text holds no NUL: a key holding one would fail the page, run after run.
  const input = db.dialect === 'postgres' ? keepNulKeysOut(page) : page;
  // Planned without statistics, the quarantine update's key list is expanded once per open record
  // (seen at a second a page with 2,000 records open): refresh them first when the table changed
  // much. Before the transaction: ANALYZE there would hold its lock on the table until the commit.
  if (input.candidates.length > 0) await freshenStatistics(db, ['quarantine']);
  return db.write('commitPage', async (trx) => {
    const now = nowIso();
    // The first statement writes (commit-page-chain.ts): on SQLite it takes the write lock before
    // any read (see db.ts); on PostgreSQL the checkpoint row lock serialises two workers committing
    // the same pipeline, so neither can insert a license the other has just inserted. A page that
    // no longer follows the stored checkpoint (another extraction moved it) writes nothing.
    await writeCheckpoint(trx, input, now);
    if (input.guard) await moveStateGuard(trx, input.guard, input, now);
    // Asked with the write lock held: a tick that expires today's licenses either committed before
    // (and the day has turned, so the page is mapped again) or will see this page's versions. By the
    // ledger's clock, as the tick tells its day (pipelines/lifecycle/tick.ts): by this host's, one
    // a few minutes behind the ticking host's at midnight still took the day before for today, and
    // brought back as `valid` a license the tick had just expired, until the next day's tick.
    if (input.mappedOn && input.mappedOn.today(await readClock(db, trx)) !== input.mappedOn.day) {
      throw new PageMappedOnAnotherDay(input.mappedOn.day);
    }

    const latest = await loadLatest(
      db,
      trx,
      input.candidates.map((c) => c.licenseId),
    );
    const licenseWrites = new Map<string, LicenseWrite>();
    const versions: VersionInsert[] = [];
    const sourceUpdates = new Map<string, SourceUpdate>();
    let unchanged = 0;
    let superseded = 0;
    // A page's rows share one mapping and catalog: each context is hashed once, not once a row.
    const contexts = new Map<string, string>();
    const contextOf = (lineage: Lineage): string => {
      const key = `${lineage.mappingVersion}\u001f${lineage.catalogVersion}`;
      const known = contexts.get(key);
      if (known !== undefined) return known;
      const ctx = fingerprintContext(lineage);
      contexts.set(key, ctx);
      return ctx;
    };
    // Keys whose current record mapped cleanly: their open quarantine records are resolved.
    const mappedKeys = new Set<string>();
    // Rows whose license holds its last version (version-limit.ts): quarantined with the page's own.
    const atLimit: CommitPageInput['quarantined'] = [];
    // Rows read unchanged whose license holds its last version: key by license id.
    const unchangedAtLimit = new Map<string, string>();

    // In page order: a license appearing twice in one page gets version 1, then version 2. (SQL
    // sources hand a key over twice in one page only as identical rows: they settle a key held
    // by several rows first, connectors/sql/repeated-keys.ts.)
    for (const c of input.candidates) {
      const current = latest.get(c.licenseId);
      const fp = input.sourceFingerprints?.get(c.sourceKey) ?? null;
      const fpCtx = fp === null ? null : contextOf(c.lineage);
      const order = input.sourceOrders?.get(c.sourceKey) ?? null;
      // An older record of a key than the one the license was last read from (a late export, a
      // re-read folder) is superseded: bringing its state back would undo a newer change.
      const compare = input.compareOrders;
      if (current?.sourceOrder && order !== null && compare && compare(order, current.sourceOrder) < 0) {
        unchanged++;
        superseded++;
        continue;
      }
      mappedKeys.add(c.sourceKey);
      if (current && current.contentHash === c.contentHash) {
        unchanged++;
        if (!takesAnotherVersion(current.version)) unchangedAtLimit.set(c.licenseId, c.sourceKey);
        // Same license, but the raw row moved (padding, a column the mapping ignores), was read
        // before fingerprints were kept, or a newer record says the same: store the new
        // fingerprint and order, so the next check need not look again.
        const fpMoved =
          fp !== null && fpCtx !== null && (current.sourceFp !== fp || current.sourceFpCtx !== fpCtx);
        const orderMoved = order !== null && current.sourceOrder !== order;
        if (fpMoved || orderMoved) {
          if (fpMoved) {
            current.sourceFp = fp;
            current.sourceFpCtx = fpCtx;
          }
          if (orderMoved) current.sourceOrder = order;
          sourceUpdates.set(c.licenseId, {
            license_id: c.licenseId,
            source_fp: current.sourceFp ?? null,
            source_fp_ctx: current.sourceFpCtx ?? null,
            source_order: current.sourceOrder ?? null,
          });
        }
        continue;
      }
      if (current && !takesAnotherVersion(current.version)) {
        mappedKeys.delete(c.sourceKey);
        atLimit.push(versionLimitRecord(c.sourceKey, c.licenseId));
        continue;
      }
      const version = current ? current.version + 1 : 1;
      // A license that continues another (renewal, change, transfer-in) starts with that operation.
      const operation: LicenseOperation = current
        ? operationFor(current.status, c.status)
        : (c.operation ?? 'issue');
      const payload = c.build(version);
      // The lineage's members split as they are, not written as text and parsed back.
      const texts = splitVersionFields(
        payloadColumn(payload),
        payload,
        lineageFields(c.lineage, input.pipeline, input.runId),
      );
      versions.push({
        license_id: c.licenseId,
        version,
        pipeline: input.pipeline,
        identifier: identifierColumn(c.licenseId, version, payload.identifier),
        content_hash: c.contentHash,
        status: c.status,
        operation,
        payload: texts.payload,
        lineage: texts.lineage,
        run_id: input.runId,
        created_at: now,
        context: texts.context,
      });
      latest.set(c.licenseId, {
        version,
        contentHash: c.contentHash,
        status: c.status,
        sourceFp: fp,
        sourceFpCtx: fpCtx,
        sourceOrder: order,
      });
      sourceUpdates.delete(c.licenseId);
      licenseWrites.set(c.licenseId, {
        license_id: c.licenseId,
        pipeline: input.pipeline,
        source_key: c.sourceKey,
        latest_version: version,
        // The latest version's row holds it (migration 026): read by joining it, never from here.
        content_hash: '',
        status: c.status,
        source_fp: fp,
        source_fp_ctx: fpCtx,
        source_order: order,
        valid_to: payload.validTo ?? null,
        number: payload.number ?? null,
        created_at: now,
        updated_at: now,
      });
    }

    // Unchanged, yet still unable to expire: the tick's record stays open (version-limit.ts), the
    // key's other records close as any clean read's (quarantine-unexpirable-read.ts).
    const unexpirableKeys: string[] = [];
    if (unchangedAtLimit.size > 0) {
      // The page's day as the tick counts days, in the configured zone: the UTC date is yesterday
      // in Beijing from 16:00 to 24:00 UTC, and a license due yesterday read as not yet due.
      const day = input.mappedOn?.day ?? localDate(timeZone, new Date(now));
      for (const id of await stillUnexpirable(trx, db, [...unchangedAtLimit.keys()], day)) {
        const key = unchangedAtLimit.get(id) as string;
        mappedKeys.delete(key);
        unexpirableKeys.push(key);
      }
    }
    await upsertLicenses(db, trx, [...licenseWrites.values()]);
    await updateSourceColumns(db, trx, [...sourceUpdates.values()]);
    // PostgreSQL: a writer that locks license rows (repairs; a tick without a checkpoint row to
    // lock) may have taken a version number read free above; the upsert before waited for it.
    const created = await insertVersions(db, trx, versions).catch((e: unknown) => {
      throw versionTaken(e) ? new PageLicenseWrittenMeanwhile(input.pipeline, input.runId, e) : e;
    });
    const written =
      atLimit.length === 0 ? input : { ...input, quarantined: [...input.quarantined, ...atLimit] };
    const quarantine = latestQuarantined(written);
    await closeCleanReadAtLimit(trx, db, input.pipeline, unexpirableKeys, now, {
      runId: input.runId,
      quarantined: new Set(quarantine.map((q) => q.source_key)),
    });
    // PostgreSQL: closing and writing quarantine records in one statement (pg-page-quarantine.ts).
    if (db.dialect === 'postgres') await writePageQuarantinePg(db, trx, written, mappedKeys, quarantine, now);
    else await resolveQuarantine(trx, written, mappedKeys, quarantine, now);
    // Superseded candidates are left out: an older record's contact must not replace a newer one.
    await writeHolderContacts(
      db,
      trx,
      input.pipeline,
      input.candidates.filter((c) => c.contact !== undefined && mappedKeys.has(c.sourceKey)),
    );
    if (db.dialect !== 'postgres') await insertQuarantineBound(db, trx, written, quarantine, now);
    // Counted with the page, every row once, however pages commit (rows_quarantined_total).
    await countQuarantineReasons(trx, input.pipeline, written.quarantined);

    // Only a run still running takes the page (commit-page-run.ts): ended since the extract stage
    // looked, the page is refused and nothing of it is written.
    await countPageInRun(trx, input, {
      read_count: input.rowsRead,
      created_count: created.length,
      unchanged_count: unchanged,
      quarantined_count: written.quarantined.length,
    });
    // Export files read with elements left out of every record: each counted once in the run.
    await countAbsentElements(trx, input.runId, input.absentElements);
    // Audit (same transaction, taken last): one `read` entry for the page, and the page's new
    // versions, one entry per operation binding them all (audit-batch.ts).
    const actor = `pipeline:${input.pipeline}`;
    const hashes = new Map(versions.map((v) => [`${v.license_id}\u0000${v.version}`, v.content_hash]));
    await appendAudit(db, trx, [
      {
        action: 'read',
        actor,
        detail: { runId: input.runId, rows: input.rowsRead, quarantined: written.quarantined.length },
      },
      ...batchEntries(
        created.map((c) => {
          const digest = hashes.get(`${c.licenseId}\u0000${c.version}`) ?? null;
          return {
            versionId: c.versionId,
            tuple: [c.licenseId, c.version, digest],
            single: {
              action: c.operation,
              actor,
              licenseId: c.licenseId,
              version: c.version,
              digest,
              detail: { runId: input.runId, versionId: c.versionId },
            },
          };
        }),
        () => ({ runId: input.runId }),
      ),
    ]);
    return { created, unchanged, superseded, quarantined: written.quarantined.length };
  });
}

/**
 * A run keeps one record per key, holding what the key's latest read found: a row that changed
 * while the run read it (its cursor moved past the run's checkpoint) is read again in a later
 * page. Kept first, the record named a fault the row no longer had, and one closed when the row
 * mapped cleanly in between stayed closed: its latest row, never versioned, in no worklist.
 */
function latestQuarantined(input: CommitPageInput): PageQuarantineRow[] {
  const latest = new Map<string, (typeof input.quarantined)[number]>();
  for (const q of input.quarantined) {
    latest.delete(q.sourceKey);
    latest.set(q.sourceKey, q);
  }
  return [...latest.values()].map((q) => ({ source_key: q.sourceKey, reasons: JSON.stringify(q.reasons) }));
}

/**
 * SQLite: closes the open quarantine records of keys that mapped cleanly in this page (but for
 * their `LB_STORED_TEXT` reasons, quarantine-merge.ts), so the worklist lists only the present
 * (PostgreSQL closes and writes them in one statement, pg-page-quarantine.ts). One statement per
 * page: the keys travel as one JSON parameter, not as an `IN` list chunked to the bind limit. Runs before this page's own quarantine records are
 * written, so a key both mapped and quarantined in one page stays open; this run's record of such a
 * key is left to that write, as PostgreSQL's statement leaves it: closed and reopened, the record
 * open all along took the page's time as its first seen.
 */
async function resolveQuarantine(
  trx: Knex.Transaction,
  page: { pipeline: string; runId: string },
  keys: ReadonlySet<string>,
  quarantined: readonly PageQuarantineRow[],
  now: string,
): Promise<void> {
  if (keys.size === 0) return;
  await trx.raw(
    `update quarantine set ${cleanReadCloseSql('sqlite')}
      where pipeline = ? and resolved_at is null and source_key in (select value from json_each(?))
        and not (run_id = ? and source_key in (select value from json_each(?)))`,
    [
      now,
      page.pipeline,
      JSON.stringify([...keys]),
      page.runId,
      JSON.stringify(quarantined.map((q) => q.source_key)),
    ],
  );
}
