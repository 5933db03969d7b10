/**
 * What a process that only reads the ledger (`licbridge status`) does instead of migrating it: it
 * reads which migrations the ledger holds and refuses one this release has not migrated. Migrating
 * from such a process — a new release's status run by monitoring while the old release's workers
 * still run — changes the tables under those workers, which then misread them (docs/operations.md,
 * "Upgrades").
 */
import type { Knex } from 'knex';
import { ErrorCodes, LicbridgeError } from '../core/errors.js';
import { MIGRATIONS, MIGRATIONS_TABLE } from './migrate.js';

/** The migrations the ledger holds, in the order they ran; none for a new ledger (no table yet). */
export async function appliedMigrations(knex: Knex, schema?: string): Promise<string[]> {
  const builder = schema ? knex.schema.withSchema(schema) : knex.schema;
  if (!(await builder.hasTable(MIGRATIONS_TABLE))) return [];
  const table = schema ? knex(MIGRATIONS_TABLE).withSchema(schema) : knex(MIGRATIONS_TABLE);
  const ran: { name: string }[] = await table.select('name').orderBy('id');
  return ran.map((r) => r.name);
}

/**
 * Refuses a ledger this release cannot read as it is: one lacking some of this release's
 * migrations, or one a newer licbridge migrated (named as `migrateLatest` names it).
 */
export async function refuseUnmigrated(knex: Knex, schema?: string): Promise<void> {
  const applied = await appliedMigrations(knex, schema);
  const known = new Set(MIGRATIONS.map((m) => m.name));
  const unknown = applied.filter((name) => !known.has(name));
  if (unknown.length > 0) throw newerLedgerError(unknown);
  const ran = new Set(applied);
  const pending = MIGRATIONS.map((m) => m.name).filter((name) => !ran.has(name));
  if (pending.length > 0) throw pendingMigrationsError(pending);
}

/** The error for a ledger lacking `pending` (this release's names, in its order). */
export function pendingMigrationsError(pending: readonly string[]): LicbridgeError {
  const first = pending[0] ?? '';
  const last = pending[pending.length - 1] ?? '';
  const names = pending.length === 1 ? first : `${first} … ${last}`;
  return new LicbridgeError(
    ErrorCodes.LEDGER,
    `ledger: ${pending.length} migration(s) of this release not applied yet (${names}): the first licbridge process of this release that writes (run, worker, …) applies them; see Upgrades in docs/operations.md`,
    { context: { pendingMigrations: pending.length } },
  );
}

/** Whether `error` is {@link pendingMigrationsError}'s: the ledger answered, it is only behind. */
export function isPendingMigrationsError(error: unknown): boolean {
  return error instanceof LicbridgeError && typeof error.context.pendingMigrations === 'number';
}

/** A ledger that ran migrations this release does not know was written by a newer licbridge. */
export function newerLedgerError(unknown: readonly string[]): LicbridgeError {
  const newest = MIGRATIONS[MIGRATIONS.length - 1]?.name;
  return new LicbridgeError(
    ErrorCodes.LEDGER,
    `ledger: open failed: the ledger was migrated by a newer licbridge (migrations this version does not know: ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ', …' : ''}; this version's newest is ${newest}); run that licbridge or a later one on it`,
  );
}
