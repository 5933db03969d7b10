/**
 * What a process that only reads the ledger (`licbridge status`) does instead of migrating it: it
 * reads which migrations the ledger holds and refuses one this release has not migrated. Migrating
 * from such a process — a new release's status run by monitoring while the old release's workers
 * still run — changes the tables under those workers, which then misread them (docs/operations.md,
 * "Upgrades").
 */
import { existsSync } from 'node:fs';
import type { Knex } from 'knex';
import { ErrorCodes, LicbridgeError } from '../core/errors.js';
import {
  appliedMigrations,
  MIGRATIONS,
  newerLedgerError,
  pendingMigrations,
  unknownMigrations,
} from './migrate.js';

/**
 * Refuses a ledger this release cannot read as it is: one lacking some of this release's
 * migrations, or one a newer licbridge migrated (named as `migrateLatest` names it).
 */
export async function refuseUnmigrated(knex: Knex, schema?: string): Promise<void> {
  const applied = await appliedMigrations(knex, schema);
  const unknown = unknownMigrations(applied);
  if (unknown.length > 0) throw newerLedgerError(unknown, 'open failed');
  const pending = pendingMigrations(applied);
  if (pending.length > 0) throw pendingMigrationsError(pending);
}

/**
 * Refuses a SQLite ledger file that is not there, creating nothing: neither the file nor its
 * folder. Opened, SQLite would make an empty file at a mistyped path (an auditor's, a probe's),
 * and a writing process later pointed there by the same mistake would take it for a new ledger.
 * Every migration is pending: `status` and `serve` read it as a ledger not migrated yet.
 */
export function refuseMissingSqliteFile(file: string): void {
  if (existsSync(file)) return;
  throw pendingMigrationsError(
    MIGRATIONS.map((m) => m.name),
    file,
  );
}

/**
 * The error for a ledger lacking `pending` (this release's names, in its order); `missingFile`,
 * a SQLite file that is not there.
 */
export function pendingMigrationsError(pending: readonly string[], missingFile?: string): LicbridgeError {
  const first = pending[0] ?? '';
  const last = pending[pending.length - 1] ?? '';
  const names = pending.length === 1 ? first : `${first} … ${last}`;
  const what =
    missingFile === undefined
      ? 'applies them'
      : `creates it; SQLite file ${missingFile} is not there, and a process that only reads the ledger (status, serve, audit, verify) creates none: check ledger.url if one has run already`;
  return new LicbridgeError(
    ErrorCodes.LEDGER,
    `ledger: ${pending.length} migration(s) of this release not applied yet (${names}): the first licbridge process of this release that writes (run, worker, …) ${what}; see Upgrades in docs/operations.md`,
    { context: { pendingMigrations: pending.length } },
  );
}

/** Whether `error` is {@link pendingMigrationsError}'s: the ledger answered, it is only behind. */
export function isPendingMigrationsError(error: unknown): boolean {
  return error instanceof LicbridgeError && typeof error.context.pendingMigrations === 'number';
}
