/** DM8 (达梦) as a source kind and front database (see connectors/kind-spec.ts). */
import type { SourceKindSpec } from '../../../kind-spec.js';
import { sqlOpener } from '../../open-sql.js';

export const dmKind = {
  kind: 'dm',
  title: 'DM8 (达梦)',
  shape: 'sql-server',
  sqlFamily: 'oracle',
  defaultPort: 5236,
  // dmdb reads certificates from a directory (`sslPath`), unlike the drivers core/tls-drivers.ts
  // serves; DM speaks Oracle's SQL, so knex has no `onConflict` for it either.
  frontDb: {
    knexClient: async () => (await import('./knex-client.js')).dmKnexClient(),
    tls: 'refused',
    onDuplicate: 'row-by-row',
  },
  open: sqlOpener(async () => (await import('./dialect.js')).dmDialect),
} as const satisfies SourceKindSpec;
