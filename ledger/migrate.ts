/**
 * Runs the ledger's migrations with knex's migrator. The migrations are a list in code, not
 * files found on disk, so the same list runs from the TypeScript sources and the compiled dist.
 */
import type { Knex } from 'knex';
import { ErrorCodes, LicbridgeError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { initialMigration } from './migrations/001-initial.js';
import { signingKeysMigration } from './migrations/002-signing-keys.js';
import { deliveryDeadLettersMigration } from './migrations/003-delivery-dead-letters.js';
import { auditReconcileMigration } from './migrations/004-audit-reconcile.js';
import { xmlFilesReadMigration } from './migrations/005-xml-files-read.js';
import { sourceFingerprintsMigration } from './migrations/006-source-fingerprints.js';
import { sourceOrderMigration } from './migrations/007-source-order.js';
import { runProgressMigration } from './migrations/009-run-progress.js';
import { quarantineResolvedMigration } from './migrations/010-quarantine-resolved.js';
import { lifecycleMigration } from './migrations/012-lifecycle.js';
import { objectionsMigration } from './migrations/013-objections.js';
import { licenseFilesMigration } from './migrations/014-license-files.js';
import { remindersMigration } from './migrations/015-reminders.js';
import { ledgerSizeMigration } from './migrations/016-ledger-size.js';
import { deliveriesByVersionMigration } from './migrations/017-deliveries-by-version.js';
import { deliveriesByVersionTargetMigration } from './migrations/018-deliveries-by-version-target.js';
import { lineageShortNamesMigration } from './migrations/019-lineage-short-names.js';
import { sqliteAuditRowIdMigration } from './migrations/020-sqlite-row-keys.js';
import { connectorStateMigration } from './migrations/021-connector-state.js';
import { opaqueCheckpointsMigration } from './migrations/022-opaque-checkpoints.js';
import { runVersionsIndexMigration } from './migrations/023-run-versions-index.js';
import { derivedIdentifiersMigration } from './migrations/024-derived-identifiers.js';
import { signatureProfilesMigration } from './migrations/025-signature-profiles.js';
import { versionContextsMigration } from './migrations/026-version-contexts.js';
import { reminderKeyTargetMigration } from './migrations/027-reminder-key-target.js';
import { licensesNumberIndexMigration } from './migrations/028-licenses-number-index.js';
import { runAbsentElementsMigration } from './migrations/031-run-absent-elements.js';
import { reminderClaimsMigration } from './migrations/032-reminder-claims.js';
import { deliveriesOpenIndexMigration } from './migrations/033-deliveries-open-index.js';
import { deliveryDuplicatesMigration } from './migrations/034-delivery-duplicates.js';
import { lifecycleLostTicksMigration } from './migrations/035-lifecycle-lost-ticks.js';
import { deliveryReceiptsMigration } from './migrations/036-delivery-receipts.js';
import { hashedKeyIndexesMigration } from './migrations/037-hashed-key-indexes.js';
import { reminderAttemptDayMigration } from './migrations/039-reminder-attempt-day.js';
import { heldDuplicatesIndexMigration } from './migrations/040-held-duplicates-index.js';
import { deliveryRevisionMigration } from './migrations/041-delivery-revision.js';
import { pipelineLeasesMigration } from './migrations/042-pipeline-leases.js';
import { signatureDigestBytesMigration } from './migrations/043-signature-digest-bytes.js';
import { versionsPipelineHashIndexMigration } from './migrations/044-versions-pipeline-hash-index.js';
import { metricCountsMigration } from './migrations/045-metric-counts.js';
import { licensesByteOrderIndexMigration } from './migrations/046-licenses-byte-order-index.js';
import { auditConfigIndexMigration } from './migrations/047-audit-config-index.js';
import { deliveryCarriedAttemptsMigration } from './migrations/048-delivery-carried-attempts.js';
import { rejectedDeliveriesDeadMigration } from './migrations/049-rejected-deliveries-dead.js';
import { deliveryOpenedAtMigration } from './migrations/050-delivery-opened-at.js';
import { deliveryCarriedUnsetMigration } from './migrations/051-delivery-carried-unset.js';
import { sourceFingerprintBytesMigration } from './migrations/052-source-fingerprint-bytes.js';
import { ascendingIndexFillfactorMigration } from './migrations/053-ascending-index-fillfactor.js';
import { licenseOrderWithoutRootMigration } from './migrations/054-license-order-without-root.js';
import { versionHashBytesMigration } from './migrations/055-version-hash-bytes.js';
import { versionPairHashIndexesMigration } from './migrations/056-version-pair-hash-indexes.js';
import { renewalsByPredecessorMigration } from './migrations/057-renewals-by-predecessor.js';
import { statusCountsMigration } from './migrations/058-status-counts.js';
import { sqliteDeliveriesOpenIndexMigration } from './migrations/059-sqlite-deliveries-open-index.js';
import { remindersPipelineIndexMigration } from './migrations/060-reminders-pipeline-index.js';
import { licenseFilesPathIndexMigration } from './migrations/061-license-files-path-index.js';
import { holderContactsPipelineIndexMigration } from './migrations/062-holder-contacts-pipeline-index.js';
import { renewalsByContinuedVersionMigration } from './migrations/063-renewals-by-continued-version.js';
import { openStoredTextIndexMigration } from './migrations/064-open-stored-text-index.js';
import { isRetryableDbError } from './sql-errors.js';

interface LedgerMigration {
  name: string;
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/** Append only: a migration, once released, is never edited or reordered. */
export const MIGRATIONS: readonly LedgerMigration[] = [
  initialMigration,
  signingKeysMigration,
  deliveryDeadLettersMigration,
  auditReconcileMigration,
  xmlFilesReadMigration,
  sourceFingerprintsMigration,
  sourceOrderMigration,
  runProgressMigration,
  quarantineResolvedMigration,
  lifecycleMigration,
  objectionsMigration,
  remindersMigration,
  // 014 was numbered before 015 but released after it: appended, as the list requires.
  licenseFilesMigration,
  ledgerSizeMigration,
  deliveriesByVersionMigration,
  deliveriesByVersionTargetMigration,
  lineageShortNamesMigration,
  sqliteAuditRowIdMigration,
  connectorStateMigration,
  opaqueCheckpointsMigration,
  runVersionsIndexMigration,
  derivedIdentifiersMigration,
  signatureProfilesMigration,
  versionContextsMigration,
  reminderKeyTargetMigration,
  licensesNumberIndexMigration,
  // 029 (versions by license through hash indexes, PostgreSQL) and 030 (signature digests as
  // bytes) were withdrawn before a release: their numbers are not reused.
  runAbsentElementsMigration,
  reminderClaimsMigration,
  deliveriesOpenIndexMigration,
  deliveryDuplicatesMigration,
  lifecycleLostTicksMigration,
  deliveryReceiptsMigration,
  hashedKeyIndexesMigration,
  // 038 was not used.
  reminderAttemptDayMigration,
  heldDuplicatesIndexMigration,
  deliveryRevisionMigration,
  pipelineLeasesMigration,
  signatureDigestBytesMigration,
  versionsPipelineHashIndexMigration,
  metricCountsMigration,
  licensesByteOrderIndexMigration,
  auditConfigIndexMigration,
  deliveryCarriedAttemptsMigration,
  rejectedDeliveriesDeadMigration,
  deliveryOpenedAtMigration,
  deliveryCarriedUnsetMigration,
  sourceFingerprintBytesMigration,
  ascendingIndexFillfactorMigration,
  licenseOrderWithoutRootMigration,
  versionHashBytesMigration,
  versionPairHashIndexesMigration,
  renewalsByPredecessorMigration,
  statusCountsMigration,
  sqliteDeliveriesOpenIndexMigration,
  remindersPipelineIndexMigration,
  licenseFilesPathIndexMigration,
  holderContactsPipelineIndexMigration,
  renewalsByContinuedVersionMigration,
  openStoredTextIndexMigration,
];

const migrationSource: Knex.MigrationSource<LedgerMigration> = {
  getMigrations: async () => [...MIGRATIONS],
  getMigrationName: (m) => m.name,
  getMigration: async (m) => ({ up: m.up, down: m.down }),
};

export const MIGRATIONS_TABLE = 'ledger_migrations';

export interface MigrateOptions {
  schema?: string;
  log: Logger;
  /** How often to try again while another process holds the migration lock. */
  attempts?: number;
  delayMs?: number;
}

/**
 * Another licbridge process starting at the same moment may hold knex's migration lock (or, on
 * SQLite, the database's write lock); wait for it rather than failing the start.
 */
export async function migrateLatest(knex: Knex, options: MigrateOptions): Promise<void> {
  const attempts = options.attempts ?? 60;
  const delayMs = options.delayMs ?? 250;
  const config: Knex.MigratorConfig = {
    migrationSource: migrationSource as Knex.MigrationSource<unknown>,
    tableName: MIGRATIONS_TABLE,
    ...(options.schema ? { schemaName: options.schema } : {}),
  };
  for (let attempt = 1; ; attempt++) {
    try {
      // Each try, and again once knex holds and frees the lock: a newer release migrating the
      // ledger holds the lock, and its migrations commit while this process waits for it. knex
      // then found nothing of its own to run, and the ledger opened (PostgreSQL), or its list
      // read on the next try failed as "the migration directory is corrupt" (SQLite).
      await refuseNewerLedger(knex, options);
      await keepOneLockRow(knex, options);
      const [, applied] = (await knex.migrate.latest(config)) as [number, string[]];
      await refuseNewerLedger(knex, options);
      if (applied.length > 0) options.log.info({ migrations: applied }, 'ledger: migrations applied');
      return;
    } catch (e) {
      const waitedOut = !isContention(e) && (await lockWaitCut(knex, options, e));
      if (!isContention(e) && !waitedOut) throw e;
      if (attempt >= attempts) {
        if (waitedOut) {
          // Held by a transaction, not by the flag: another session is migrating, or was left
          // idle in its migration, and ends it by committing or by being ended.
          throw new LicbridgeError(
            ErrorCodes.LEDGER,
            `ledger: migrate failed: another session held the migration lock (table ${MIGRATIONS_TABLE}_lock) through ${attempts} waits of ledger.queryTimeoutMs each; pg_stat_activity shows the session migrating`,
            { cause: e },
          );
        }
        if (sqliteBusy(e)) {
          // knex reports SQLite's busy write lock as a migration lock it could not take, but the
          // flag is 0 on disk: the holder's lock is its uncommitted transaction.
          throw new LicbridgeError(
            ErrorCodes.LEDGER,
            `ledger: migrate failed: another process held the SQLite ledger's write lock through all ${attempts} attempts (each waiting ledger.busyTimeoutMs); a first process of a new release migrating a large ledger may take minutes: start the others once it has (Upgrades in docs/operations.md)`,
            { cause: e },
          );
        }
        if (e instanceof Error && e.name === 'MigrationLocked') {
          // knex takes its lock inside the migrations' transaction, so a process killed while
          // migrating leaves it clear; one set for good was set outside a licbridge start (by
          // hand, or a tool migrating without a transaction) and never clears itself.
          throw new LicbridgeError(
            ErrorCodes.LEDGER,
            `ledger: migrate failed: the migration lock is still held after ${attempts} attempts; if no other licbridge is starting, clear it (table ${MIGRATIONS_TABLE}_lock, column is_locked)`,
            { cause: e },
          );
        }
        throw e;
      }
      options.log.debug({ attempt }, 'ledger: migration lock busy, waiting');
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}

/**
 * A ledger that ran migrations this release does not have was written by a newer licbridge, whose
 * tables this one would misread or misfill. knex refuses it too, but says "the migration directory
 * is corrupt, the following files are missing", which sends an operator looking for files.
 */
async function refuseNewerLedger(knex: Knex, options: MigrateOptions): Promise<void> {
  const unknown = unknownMigrations(await appliedMigrations(knex, options.schema));
  if (unknown.length > 0) throw newerLedgerError(unknown, 'migrate failed');
}

/** The migrations the ledger holds, in the order they ran; none for a new ledger (no table yet). */
export async function appliedMigrations(knex: Knex, schema?: string): Promise<string[]> {
  const builder = schema ? knex.schema.withSchema(schema) : knex.schema;
  if (!(await builder.hasTable(MIGRATIONS_TABLE))) return [];
  const table = schema ? knex(MIGRATIONS_TABLE).withSchema(schema) : knex(MIGRATIONS_TABLE);
  const ran: { name: string }[] = await table.select('name').orderBy('id');
  return ran.map((r) => r.name);
}

/** This release's migrations not among `applied`, in the order they run. */
export function pendingMigrations(applied: readonly string[]): string[] {
  const ran = new Set(applied);
  return MIGRATIONS.map((m) => m.name).filter((name) => !ran.has(name));
}

/** Of `applied`, the migrations this release does not know: a newer licbridge ran them. */
export function unknownMigrations(applied: readonly string[]): string[] {
  const known = new Set(MIGRATIONS.map((m) => m.name));
  return applied.filter((name) => !known.has(name));
}

/** A ledger that ran migrations this release does not know was written by a newer licbridge. */
export function newerLedgerError(
  unknown: readonly string[],
  failed: 'migrate failed' | 'open failed',
): LicbridgeError {
  const newest = MIGRATIONS[MIGRATIONS.length - 1]?.name;
  return new LicbridgeError(
    ErrorCodes.LEDGER,
    `ledger: ${failed}: the ledger was migrated by a newer licbridge (migrations this version does not know: ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ', …' : ''}; this version's newest is ${newest}); run that licbridge or a later one on it`,
  );
}

/**
 * knex creates its lock table and then inserts the one lock row if it finds none, in separate
 * statements outside any transaction: two processes opening a new ledger at once can both find
 * none and both insert. Its lock then updates "every unlocked row" and expects exactly one, so
 * with two rows every later start failed as if the lock were held, for good, with `is_locked`
 * 0 in both. The extra rows are removed before each try; the lowest row stays the lock.
 */
async function keepOneLockRow(knex: Knex, options: MigrateOptions): Promise<void> {
  const table = `${MIGRATIONS_TABLE}_lock`;
  const schema = options.schema ? knex.schema.withSchema(options.schema) : knex.schema;
  if (!(await schema.hasTable(table))) return;
  const rows = () => (options.schema ? knex(table).withSchema(options.schema) : knex(table));
  const found: { index: number }[] = await rows().select('index').orderBy('index');
  const first = found[0];
  if (first === undefined || found.length === 1) return;
  await rows().where('index', '>', first.index).del();
  options.log.warn({ table, rows: found.length }, 'ledger: removed extra migration lock rows');
}

/**
 * PostgreSQL: whether `e` cut a wait for knex's lock row that another session still holds. A
 * process with no migration of its own to apply (of a release older than the ledger's, started
 * while a newer one migrates) waits for the lock under `ledger.queryTimeoutMs`, as every statement
 * of an up-to-date ledger does (open-ledger.ts `migrateLedger`), and a migration building an index
 * over millions of rows outlasts it: the bound dropped the connection, and the start failed with
 * knex's `ROLLBACK - Client was closed and is not queryable`. Still held, the lock is waited for
 * again, as any other contention, and the next try refuses the ledger once the newer migrations
 * have committed. The server's side of each dropped wait stays queued on the row (the client-side
 * bound does not tell the server) until the holder commits, then ends as its client is gone: one
 * such session per `ledger.queryTimeoutMs` of the migration, as a restart after each failed start
 * left one before.
 */
async function lockWaitCut(knex: Knex, options: MigrateOptions, e: unknown): Promise<boolean> {
  if (knex.client.config.client !== 'pg' || !isRetryableDbError(e)) return false;
  const table = `${MIGRATIONS_TABLE}_lock`;
  try {
    await knex.transaction(async (trx) => {
      await (options.schema ? trx(table).withSchema(options.schema) : trx(table))
        .select('is_locked')
        .forUpdate()
        .noWait();
    });
    return false;
  } catch (probe) {
    // 55P03 lock_not_available: another session holds the row.
    return (probe as { code?: unknown }).code === '55P03';
  }
}

/** SQLite's write lock held by another connection, as the driver or knex's migration lock says it. */
function sqliteBusy(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('SQLITE_BUSY')) return true;
  return e.name === 'MigrationLocked' && /database is locked/.test(e.message);
}

/**
 * Contention between starting processes, as opposed to a broken database: knex's lock is held,
 * SQLite's write lock is held, or two PostgreSQL sessions raced to create the migration tables
 * (23505 on the catalog, 42P07 duplicate table), or created the bookkeeping tables on SQLite.
 */
function isContention(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  if (e.name === 'MigrationLocked') return true;
  // Two processes creating knex's bookkeeping tables at once on SQLite: the loser's CREATE fails.
  if (/already exists/.test(e.message)) return true;
  const code = (e as { code?: unknown }).code;
  if (typeof code !== 'string') return false;
  return code.startsWith('SQLITE_BUSY') || ['23505', '42P07', '40001', '40P01', '55P03'].includes(code);
}
