/** PostgreSQL as a source kind (see connectors/kind-spec.ts). */
import type { SourceKindSpec } from '../../../kind-spec.js';
import { sqlOpener } from '../../open-sql.js';

export const postgresKind = {
  kind: 'postgres',
  title: 'PostgreSQL',
  shape: 'sql-server',
  sqlFamily: 'postgres',
  defaultPort: 5432,
  startTls: 'postgres',
  frontDb: { knexClient: 'pg', tls: 'ssl', onDuplicate: 'ignore' },
  open: sqlOpener(async () => (await import('./dialect.js')).postgresDialect),
} as const satisfies SourceKindSpec;
