/**
 * The one-row SELECT of a constant each SQL family answers without reading a table: the
 * connection probe (`SqlSource.checkConnection`) and the constant row of the column listing
 * (column-list.ts). Oracle and DM (the Oracle family) refuse a SELECT without FROM (ORA-00923
 * "FROM keyword not found where expected"): theirs selects the constant from `dual`.
 */
import type { SqlFamily } from '../kind-spec.js';

/** `SELECT 1 AS <alias>`, from `dual` where the family needs a table. */
export function constantRowSql(family: SqlFamily, alias = 'lb_one'): string {
  return family === 'oracle' ? `SELECT 1 AS ${alias} FROM dual` : `SELECT 1 AS ${alias}`;
}
