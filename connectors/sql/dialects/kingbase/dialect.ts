/**
 * KingbaseES (人大金仓) speaks the PostgreSQL wire protocol and SQL, so it is read through
 * node-postgres exactly as PostgreSQL is — read-only transactions, server-side statement timeout,
 * cursors as text, the same in-database fingerprints. What differs is its own:
 * - the system catalog is named `sys_*` (`sys_class`, `sys_attribute`, `sys_namespace`,
 *   `sys_index`, in schema `sys_catalog`), with PostgreSQL's columns;
 * - the default port is 54321;
 * - a fresh instance has no `postgres` database (its first database is `test`, its first login
 *   `system`), so the database is never guessed: `connection.database` is required.
 */
import type { Knex } from 'knex';
import type { SourceConfig } from '../../../../config/types.js';
import { ErrorCodes, LicbridgeError } from '../../../../core/errors.js';
import type { DriverReading, SqlDialect, TableRef } from '../../dialect.js';
import { connectionOf } from '../common.js';
import { describePgFamilyTable, postgresDialect } from '../postgres/dialect.js';
import { pgFamilyKnexConfig } from '../postgres/knex-config.js';
import { kingbaseKind } from './kind.js';

export const kingbaseDialect: SqlDialect = {
  ...postgresDialect,
  kind: kingbaseKind.kind,

  async knexConfig(name: string, config: SourceConfig, reading?: DriverReading): Promise<Knex.Config> {
    if (!connectionOf(name, config).database) {
      throw new LicbridgeError(
        ErrorCodes.USAGE,
        `source ${name}: a kingbase source needs \`connection.database\` (KingbaseES has no \`postgres\` database to fall back on; a fresh instance has \`test\`)`,
        { context: { source: name } },
      );
    }
    return pgFamilyKnexConfig(name, config, kingbaseKind.defaultPort, reading, 'sys_');
  },

  describeTable: (db: Knex, table: TableRef) => describePgFamilyTable(db, table, 'sys_'),
};
