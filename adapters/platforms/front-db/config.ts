/** The config of a `front-db` target (its schema: ./kind.ts), as the loader returns it. */
import type { TargetCodeLists, TargetDeliveryConfig, TlsConfig } from '../../../config/types.js';
import type { SourceKind } from '../../../connectors/kinds.js';

export interface FrontDbTargetConfig extends TargetDeliveryConfig {
  readonly kind: 'front-db';
  /** knex client of the front database. */
  readonly client: SourceKind;
  /** Network clients: host, port, database, user, password, … */
  readonly connection?: Readonly<Record<string, string | number | boolean | TlsConfig>>;
  /** sqlite: absolute path of the database file. */
  readonly path?: string;
  /** Exchange table. @defaultValue `UP_LIC_DATA` */
  readonly table: string;
  /** Value written to the data-source column (usually the unit's credit code). */
  readonly dataSource: string;
  /** Create the exchange table when it is missing (test and demo front databases). @defaultValue false */
  readonly createTable: boolean;
  readonly codes?: TargetCodeLists;
}
