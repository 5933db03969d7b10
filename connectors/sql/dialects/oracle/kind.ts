/** Oracle as a source kind (see connectors/kind-spec.ts). */
import type { SourceKindSpec } from '../../../kind-spec.js';
import { sqlOpener } from '../../open-sql.js';

export const oracleKind = {
  kind: 'oracle',
  title: 'Oracle',
  shape: 'sql-server',
  sqlFamily: 'oracle',
  defaultPort: 1521,
  frontDb: {
    // The source's client (./knex-client.ts), which hands the driver the TLS attributes knex's own
    // leaves out, leaving the driver's process-wide `fetchAsString` to an Oracle source.
    knexClient: async () => (await import('./knex-client.js')).oracleKnexClient({ leaveFetchAsString: true }),
    tls: 'oracle',
    onDuplicate: 'row-by-row',
  },
  open: sqlOpener(async () => (await import('./dialect.js')).oracleDialect),
} as const satisfies SourceKindSpec;
