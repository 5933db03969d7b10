/** The config of a `front-db` target (its schema: ./kind.ts), as the loader returns it. */

import type { TargetCodeLists, TargetDeliveryConfig } from '../../../config/target-types.js';
import type { TlsConfig } from '../../../config/types.js';
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
  /**
   * IANA time zone of the wall clock written into a date/time `EXCHANGE_TIME` (a column without a
   * zone, read as the city's local time), whatever this machine's zone. @defaultValue `Asia/Shanghai`
   */
  readonly timeZone?: string;
  readonly codes?: TargetCodeLists;
  /**
   * The codes the exchange system writes into `EXCHANGE_STATUS` once it decides on a row. Set, a
   * written row is answered `submitted` and `poll` reads the code. @defaultValue none: accepted on write
   */
  readonly exchangeStatus?: ExchangeStatusCodes;
}

/** `EXCHANGE_STATUS` codes of a front database's exchange system. */
export interface ExchangeStatusCodes {
  /** Codes for a row taken in: the delivery is accepted. */
  readonly accepted: readonly string[];
  /** Codes for a row refused: the delivery is rejected with the code as its reason. */
  readonly rejected: readonly string[];
  /**
   * Codes for a row picked up and still being decided (an exchange system's "in progress"): the
   * delivery stays `submitted`. Any other code but `0` is in no list: a dead letter naming it.
   * @defaultValue none
   */
  readonly pending?: readonly string[];
  /** Column holding the exchange system's reason for a refusal. @defaultValue none */
  readonly reasonColumn?: string;
}
