/** KingbaseES (人大金仓) as a source kind and front database (see connectors/kind-spec.ts). */
import type { SourceKindSpec } from '../../../kind-spec.js';
import { sqlOpener } from '../../open-sql.js';

export const kingbaseKind = {
  kind: 'kingbase',
  title: 'KingbaseES',
  shape: 'sql-server',
  sqlFamily: 'postgres',
  defaultPort: 54321,
  startTls: 'postgres',
  frontDb: { knexClient: 'pg', tls: 'ssl', onDuplicate: 'ignore' },
  open: sqlOpener(async () => (await import('./dialect.js')).kingbaseDialect),
} as const satisfies SourceKindSpec;
