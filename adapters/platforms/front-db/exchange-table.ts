/**
 * The front-database exchange table (前置库, STANDARDS.md §5): the unit writes one row per
 * delivery with a batch number, an operation type, a timestamp and a data-source column; the
 * city's exchange system picks rows up (and sets `EXCHANGE_STATUS`). Column names are upper-case
 * as such front databases name them.
 */
import type { Knex } from 'knex';
import type { LicenseOperation } from '../../../catalog/license.js';

export const COLUMNS = {
  key: 'DELIVERY_KEY',
  batch: 'BATCH_NO',
  opType: 'OPERATION_TYPE',
  time: 'EXCHANGE_TIME',
  dataSource: 'DATA_SOURCE',
  licenseId: 'LICENSE_ID',
  version: 'LICENSE_VERSION',
  identifier: 'ZZBS',
  opCode: 'CZLX',
  status: 'ZZZT',
  payload: 'PAYLOAD',
  signature: 'SIGNATURE',
  exchangeStatus: 'EXCHANGE_STATUS',
} as const;

/**
 * Insert / update / delete as exchange systems read them. licbridge never removes a license from
 * a platform's books: a revocation, cancellation or move-out ends it, which these systems take as `D`;
 * every other change of an issued license is `U`.
 */
export function operationType(op: LicenseOperation): 'I' | 'U' | 'D' {
  // A renewal, change or transfer-in is a new license on the platform's books.
  if (op === 'issue' || op === 'renew' || op === 'change' || op === 'transfer') return 'I';
  if (op === 'revoke' || op === 'cancel' || op === 'transfer-out') return 'D';
  return 'U';
}

/** Creates the exchange table when missing (test and demo front databases; production ones exist). */
export async function ensureExchangeTable(k: Knex, table: string): Promise<void> {
  if (await k.schema.hasTable(table)) return;
  try {
    await k.schema.createTable(table, (t) => {
      t.string(COLUMNS.key, 200).primary();
      t.string(COLUMNS.batch, 64).notNullable();
      t.string(COLUMNS.opType, 1).notNullable();
      t.string(COLUMNS.time, 30).notNullable();
      t.string(COLUMNS.dataSource, 64).notNullable();
      t.string(COLUMNS.licenseId, 160).notNullable();
      t.integer(COLUMNS.version).notNullable();
      t.string(COLUMNS.identifier, 200).notNullable();
      t.string(COLUMNS.opCode, 4).notNullable();
      t.string(COLUMNS.status, 4).notNullable();
      t.text(COLUMNS.payload).notNullable();
      t.text(COLUMNS.signature).notNullable();
      t.string(COLUMNS.exchangeStatus, 2).notNullable().defaultTo('0');
      t.index([COLUMNS.licenseId, COLUMNS.version]);
    });
  } catch (e) {
    // Two workers creating it at once: the loser finds it there.
    if (!(await k.schema.hasTable(table))) throw e;
  }
}
