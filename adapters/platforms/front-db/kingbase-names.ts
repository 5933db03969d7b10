/**
 * The names a KingbaseES front database answers to for the catalog tables and advisory lock
 * functions PostgreSQL names `pg_*`. KingbaseES's documentation (V8R6, V9) lists its catalog tables
 * as `sys_class`, `sys_attrdef`, `sys_depend`, …, and a V8R6 database holds
 * `sys_catalog.sys_advisory_xact_lock(bigint)` and `sys_advisory_xact_lock_shared(bigint)`; that
 * every version and compatibility mode has them, or that none answers to PostgreSQL's names, is
 * not established. So each is asked of the database once, as it is opened: the `sys_*` name where
 * it resolves, PostgreSQL's where it does not.
 */
import type { Knex } from 'knex';
import type { StatementDeadline } from './insert-new-keys.js';

export type NamePrefix = 'pg_' | 'sys_';

export interface CatalogNames {
  /** The catalog tables (`sys_class`, `sys_namespace`, `sys_attrdef`, …). */
  catalog: NamePrefix;
  /** The advisory lock functions (`sys_advisory_xact_lock`, `…_shared`). */
  locks: NamePrefix;
}

/** SQLSTATE undefined_function: the lookup function itself is not there. */
const UNDEFINED_FUNCTION = '42883';

async function resolves(k: Knex, sql: string, deadline: StatementDeadline): Promise<boolean> {
  try {
    const rows: { found: boolean }[] = (
      await k.raw(sql).timeout(deadline.remainingMs(), { cancel: deadline.cancel })
    ).rows;
    return rows[0]?.found !== false;
  } catch (e) {
    // A database without `to_regclass`/`to_regprocedure` says nothing either way: KingbaseES's
    // documented names. Any other failure (the connection, the time) is the opening's.
    if ((e as { code?: unknown } | null)?.code === UNDEFINED_FUNCTION) return true;
    throw e;
  }
}

/** Which names the KingbaseES database behind `k` answers to; two statements, nothing written. */
export async function kingbaseNames(k: Knex, deadline: StatementDeadline): Promise<CatalogNames> {
  const catalog = await resolves(k, `select to_regclass('sys_class') is not null as "found"`, deadline);
  const locks = await resolves(
    k,
    `select to_regprocedure('sys_advisory_xact_lock(bigint)') is not null
       and to_regprocedure('sys_advisory_xact_lock_shared(bigint)') is not null as "found"`,
    deadline,
  );
  return { catalog: catalog ? 'sys_' : 'pg_', locks: locks ? 'sys_' : 'pg_' };
}
