/** SQLite as a source kind (see connectors/kind-spec.ts). */
import type { SourceKindSpec } from '../../../kind-spec.js';
import { sqlOpener } from '../../open-sql.js';

export const sqliteKind = {
  kind: 'sqlite',
  title: 'SQLite',
  shape: 'sql-file',
  sqlFamily: 'sqlite',
  frontDb: { knexClient: 'better-sqlite3', tls: 'none', onDuplicate: 'ignore' },
  open: sqlOpener(async () => (await import('./dialect.js')).sqliteDialect),
} as const satisfies SourceKindSpec;
