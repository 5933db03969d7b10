/** MySQL / MariaDB as a source kind (see connectors/kind-spec.ts). */
import type { SourceKindSpec } from '../../../kind-spec.js';
import { sqlOpener } from '../../open-sql.js';

export const mysqlKind = {
  kind: 'mysql',
  title: 'MySQL / MariaDB',
  shape: 'sql-server',
  sqlFamily: 'mysql',
  defaultPort: 3306,
  startTls: 'mysql',
  frontDb: { knexClient: 'mysql2', tls: 'ssl', onDuplicate: 'merge' },
  open: sqlOpener(async () => (await import('./dialect.js')).mysqlDialect),
} as const satisfies SourceKindSpec;
