/** DM8 (达梦) as a source kind (see connectors/kind-spec.ts). */
import type { SourceKindSpec } from '../../../kind-spec.js';
import { sqlOpener } from '../../open-sql.js';

export const dmKind = {
  kind: 'dm',
  title: 'DM8 (达梦)',
  shape: 'sql-server',
  sqlFamily: 'oracle',
  defaultPort: 5236,
  open: sqlOpener(async () => (await import('./dialect.js')).dmDialect),
} as const satisfies SourceKindSpec;
