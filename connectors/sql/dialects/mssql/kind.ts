/** SQL Server as a source kind (see connectors/kind-spec.ts). */
import type { SourceKindSpec } from '../../../kind-spec.js';
import { sqlOpener } from '../../open-sql.js';

export const mssqlKind = {
  kind: 'mssql',
  title: 'SQL Server',
  shape: 'sql-server',
  sqlFamily: 'mssql',
  defaultPort: 1433,
  frontDb: { knexClient: 'mssql', tls: 'mssql', onDuplicate: 'row-by-row' },
  open: sqlOpener(async () => (await import('./dialect.js')).mssqlDialect),
} as const satisfies SourceKindSpec;
