/**
 * What a source kind tells the rest of licbridge about itself. Each kind's spec sits next to its
 * code (`connectors/sql/dialects/<kind>/kind.ts`, `connectors/xml-files/kind.ts`) and one line in
 * `connectors/kinds.ts` lists it; the config schema, the config types, `openSource` and the config
 * reference all read that list. A spec is data plus a lazy `open`: importing it loads no driver.
 */
import type { SourceConfig } from '../config/types.js';
import type { Logger } from '../core/logger.js';
import type { SourceConnector } from './source.js';
import type { ConnectorStatePort } from './state-port.js';

/**
 * How a kind is configured, which picks its config schema variant: a database file (`path`), a
 * database server (`connection`), or a folder of export files (`path`, `recordPath`, …).
 */
export type SourceShape = 'sql-file' | 'sql-server' | 'export-files';

/** The SQL grammar a query stream's text is checked with (connectors/sql/sql-lexer.ts). */
export type SqlFamily = 'postgres' | 'mysql' | 'mssql' | 'oracle' | 'sqlite';

export interface OpenSourceOptions {
  /** The ledger's store of connector state (an XML export source records the files it has read there). */
  state?: ConnectorStatePort;
  /** Where the source tells what a person should know about reading it. @defaultValue the root logger */
  logger?: Logger;
  /**
   * The IANA zone the mappings take an instant's day in (`lifecycle.timeZone`): a list's instants,
   * which reach them as text (a PostgreSQL `timestamptz[]`'s elements), are written on its wall
   * clock with its offset, so a step cutting an element's day takes the lone value's day.
   * @defaultValue `Asia/Shanghai`
   */
  timeZone?: string;
}

export interface SourceKindSpec {
  /** The config's `kind`. */
  readonly kind: string;
  /** The product's name, in messages and the config reference. */
  readonly title: string;
  readonly shape: SourceShape;
  /** SQL kinds: the grammar of its query streams. */
  readonly sqlFamily?: SqlFamily;
  /** Database servers: the port when `connection.port` is not set. */
  readonly defaultPort?: number;
  /** Database servers whose TLS starts inside their own protocol, so `config check` can probe it. */
  readonly startTls?: 'postgres' | 'mysql';
  /** SQL kinds that can also be a city front database (`targets.<name>.client`). */
  readonly frontDb?: FrontDbSpec;
  /** Opens the connector; the implementation and its driver load only now. */
  open(name: string, config: SourceConfig, options: OpenSourceOptions): Promise<SourceConnector>;
}

/** How the front-database target (adapters/platforms/front-db/) writes to a database of this kind. */
export interface FrontDbSpec {
  /**
   * The knex client: a client knex ships, by name, or a loader of a client class of the kind's own
   * (DM's, over its driver `dmdb`), loaded only when a front database of that kind is opened.
   */
  readonly knexClient: string | (() => Promise<unknown>);
  /**
   * How `connection.tls` reaches the driver (core/tls-drivers.ts); `none` for a local file;
   * `refused` for a driver that cannot take it as the others do (a config asking for TLS is an
   * error, never silently a plain connection).
   */
  readonly tls: 'ssl' | 'mssql' | 'oracle' | 'none' | 'refused';
  /**
   * How a repeated delivery key is skipped: `ignore` (`on conflict do nothing`), `merge`, a no-op
   * update of the key (MySQL, whose `insert ignore` would also turn errors into warnings), or
   * `row-by-row`, each row in a savepoint (SQL Server, Oracle: knex has no `onConflict` for them).
   * adapters/platforms/front-db/insert-new-keys.ts does each.
   */
  readonly onDuplicate: 'ignore' | 'merge' | 'row-by-row';
}
