/**
 * The typed, validated, frozen config. `config/schema.ts` declares the same shape as JSON Schema
 * (with descriptions and defaults); the loader returns `Readonly<Config>` after validation, with
 * every default applied, every `${env:…}`/`${file:…}` reference resolved and every relative path
 * made absolute against the config file's folder.
 */

export interface Config {
  /** Absolute path of the config file this came from. */
  readonly file: string;
  readonly ledger: LedgerConfig;
  readonly queue: QueueConfig;
  /** Absolute path of the catalog folder (one YAML file per license type). */
  readonly catalog: string;
  readonly sources: Readonly<Record<string, SourceConfig>>;
  readonly pipelines: Readonly<Record<string, PipelineConfig>>;
  readonly signers: Readonly<Record<string, SignerConfig>>;
  readonly targets: Readonly<Record<string, TargetConfig>>;
  readonly log: LogConfig;
}

export interface LedgerConfig {
  /** `sqlite://./data/ledger.db` (resolved to an absolute path) or `postgres://…`. */
  readonly url: string;
}

export interface QueueConfig {
  /** @defaultValue `redis://127.0.0.1:6379` */
  readonly redis: string;
  /** @defaultValue `licbridge` */
  readonly prefix: string;
  /** How long to wait for Redis before giving up, ms. @defaultValue 5000 */
  readonly connectTimeoutMs: number;
}

export interface LogConfig {
  /** @defaultValue `info` */
  readonly level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

export type SourceKind = 'sqlite' | 'postgres' | 'mysql' | 'mssql' | 'oracle' | 'xml-files';

export interface SourceConfig {
  readonly kind: SourceKind;
  /** sqlite: absolute path of the database file. */
  readonly path?: string;
  /** Network dialects: host, port, database, user, password, … */
  readonly connection?: Readonly<Record<string, string | number | boolean>>;
  /** Columns whose CHAR padding is trimmed. @defaultValue `all` */
  readonly trim: 'all' | 'none' | readonly string[];
  /** Rows per page. @defaultValue 500 */
  readonly pageSize: number;
}

export interface StreamConfig {
  readonly table: string;
  readonly key: string;
  readonly cursor?: string;
}

export interface PipelineConfig {
  readonly source: string;
  readonly stream: StreamConfig;
  /** Absolute path of the mapping file. */
  readonly mapping: string;
  /** 21-char license type code; must exist in the catalog. */
  readonly licenseType: string;
  readonly issuer: { readonly name: string; readonly code: string };
  /** 6-digit division code used when the mapping sets none. */
  readonly areaCode?: string;
  readonly signer: string;
  readonly targets: readonly string[];
  /** Cron expression for `licbridge schedule`. */
  readonly schedule?: string;
  /** Overrides the source's page size. */
  readonly pageSize?: number;
}

export interface LocalSm2SignerConfig {
  readonly kind: 'local-sm2';
  /** PEM text of the PKCS#8 private key (usually `${file:…}`). */
  readonly key: string;
  /** Passphrase of an encrypted key (usually `${env:…}`). */
  readonly passphrase?: string;
  /** Absolute path of the seal's X.509 certificate (PEM). */
  readonly certificate?: string;
  /** Seal id recorded with every signature. */
  readonly sealId: string;
  /** SM2 distinguishing id. @defaultValue `1234567812345678` */
  readonly distId: string;
}

export type SignerConfig = LocalSm2SignerConfig;

export interface HmacAuthConfig {
  readonly scheme: 'hmac';
  readonly appKey: string;
  readonly secret: string;
}

export interface NoAuthConfig {
  readonly scheme: 'none';
}

export type TargetAuthConfig = HmacAuthConfig | NoAuthConfig;

export interface RestJsonTargetConfig {
  readonly kind: 'rest-json';
  /** Base URL; batches are POSTed to `<url>/licenses/batch`. */
  readonly url: string;
  readonly auth: TargetAuthConfig;
  /** Licenses per request. @defaultValue 100 */
  readonly batchSize: number;
  /** Request timeout, ms. @defaultValue 10000 */
  readonly timeoutMs: number;
  /** Jobs worked at once. @defaultValue 4 */
  readonly concurrency: number;
  /** Attempts before a delivery is dead-lettered. @defaultValue 8 */
  readonly attempts: number;
}

export type TargetConfig = RestJsonTargetConfig;
