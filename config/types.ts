/**
 * The typed, validated, frozen config. `config/schema.ts` declares the same shape as JSON Schema
 * (with descriptions and defaults); the loader returns `Readonly<Config>` after validation, with
 * every default applied, every `${env:…}`/`${file:…}` reference resolved and every relative path
 * made absolute against the config file's folder.
 */

import type { SIGNER_KINDS } from '../adapters/signers/kinds.js';
import type { SourceKind } from '../connectors/kinds.js';
import type { SourceEncoding } from '../core/encoding-labels.js';
import type { ConfigOfKind } from './config-of-kind.js';
import type { Defaulted } from './schema-defaults.js';
import type { LoadedTargetConfig } from './target-types.js';

export interface Config {
  /** Absolute path of the config file this came from. */
  readonly file: string;
  readonly ledger: LedgerConfig;
  readonly queue: QueueConfig;
  /** Absolute path of the catalog folder (one YAML file per license type). */
  readonly catalog: string;
  readonly sources: Readonly<Record<string, LoadedSourceConfig>>;
  readonly pipelines: Readonly<Record<string, PipelineConfig>>;
  readonly signers: Readonly<Record<string, SignerConfig>>;
  /** Retired seal keys verification still trusts, by name. */
  readonly trust: Readonly<Record<string, TrustedKeyConfig>>;
  /** Electronic seals (GB/T 38540), by name. */
  readonly seals: Readonly<Record<string, SealConfig>>;
  /**
   * Sealed OFD license files: their store (config/schema/license-files.ts). Always set in a loaded
   * config; optional here because code builds configs without it.
   */
  readonly licenseFiles?: LicenseFilesConfig;
  readonly targets: Readonly<Record<string, LoadedTargetConfig>>;
  readonly log: LogConfig;
  readonly reconcile: ReconcileConfig;
  readonly serve: ServeConfig;
  readonly metrics: MetricsConfig;
  /**
   * Working days: holidays and adjusted working weekends (config/schema/calendar.ts). Always set
   * in a loaded config, like `lifecycle`; optional here because code builds configs without them.
   */
  readonly calendar?: CalendarConfig;
  /** The rules' clocks `status` watches (config/schema/calendar.ts). */
  readonly deadlines: DeadlinesConfig;
  /** The license lifecycle clock (docs/lifecycle.md). */
  readonly lifecycle?: LifecycleConfig;
}

/** The `licenseFiles` section (config/schema/license-files.ts). */
export interface LicenseFilesConfig {
  /** Root folder of the file store, as written (relative to the config file's folder). */
  readonly store?: string;
  /** Files issued per ledger transaction by `sign files`. @defaultValue 50 */
  readonly pageSize: number;
}

/** The `lifecycle` section (config/schema/lifecycle.ts). */
export interface LifecycleConfig {
  /** IANA zone whose calendar day is "today" for expiry. @defaultValue `Asia/Shanghai` */
  readonly timeZone: string;
  /** Cron expression of the daily tick, registered by `licbridge schedule`. @defaultValue `5 0 * * *` */
  readonly schedule: string;
  /** Licenses expired per ledger transaction. @defaultValue 500 */
  readonly pageSize: number;
  /** Expiry reminders by license type code (config/schema/reminders.ts). @defaultValue {} */
  readonly reminders?: Readonly<Record<string, ReminderTypeConfig>>;
}

export interface LedgerConfig {
  /** `sqlite://./data/ledger.db` (resolved to an absolute path) or `postgres://…`. */
  readonly url: string;
  /** How long a ledger call retries a lost connection or a busy database before failing, ms. @defaultValue 120000 */
  readonly retryBudgetMs: number;
  /** PostgreSQL: how long one statement may go unanswered before the call fails and is retried, ms. @defaultValue 60000 */
  readonly queryTimeoutMs: number;
  /** SQLite: how long a write waits for another process's write lock before it is busy, ms. @defaultValue 5000 */
  readonly busyTimeoutMs: number;
}

export interface QueueConfig {
  /** A Redis URL, or Redis behind Sentinel, or a Redis Cluster. @defaultValue `redis://127.0.0.1:6379` */
  readonly redis: string | RedisServersConfig;
  /** @defaultValue `licbridge` */
  readonly prefix: string;
  /** How long to wait for Redis before giving up, ms. @defaultValue 5000 */
  readonly connectTimeoutMs: number;
  /** How long a worker holds a job without renewing its lock; a dead worker's jobs return after it, ms. @defaultValue 10000 */
  readonly lockDurationMs: number;
  /** How often workers look for jobs whose worker died, ms. @defaultValue 2000 */
  readonly stalledIntervalMs: number;
}

/** `queue.redis` as a mapping: Redis behind Sentinel (`sentinels` + `name`) or a Redis Cluster (`cluster`). */
export interface RedisServersConfig {
  /** Sentinels, as `host:port`. */
  readonly sentinels?: readonly string[];
  /** Master group name the sentinels monitor. */
  readonly name?: string;
  readonly sentinelUsername?: string;
  readonly sentinelPassword?: string;
  /** Cluster nodes to discover the cluster from, as `host:port`. */
  readonly cluster?: readonly string[];
  readonly username?: string;
  readonly password?: string;
  /** Sentinel only. @defaultValue 0 */
  readonly db: number;
  /** `true` (public roots) or the TLS settings; verified either way. @defaultValue false */
  readonly tls: boolean | TlsConfig;
  /** One Redis by URL, with `tls` settings for a `rediss://` URL (instead of `sentinels`/`cluster`). */
  readonly url?: string;
}

/** Consistency checks (`licbridge reconcile`, docs/reconciliation.md). */
export interface ReconcileConfig {
  /** Repair of a license whose source row is gone. @defaultValue `flag` */
  readonly deletedAtSource: 'revoke' | 'cancel' | 'flag';
  /** Repair of a license only the platform knows. @defaultValue `flag` */
  readonly unknownAtPlatform: 'revoke' | 'flag';
  /** Check after each run. @defaultValue `light` */
  readonly afterRun: 'light' | 'none';
  /** Cron expression of the full check. @defaultValue `0 2 * * *` */
  readonly schedule: string;
  /** Buckets of the key space. @defaultValue 4096 */
  readonly buckets: number;
  /** Share of a pipeline's licenses a repair may touch without `--allow-mass`. @defaultValue 0.05 */
  readonly maxRepairShare: number;
  /** Differing licenses listed in a report. @defaultValue 50 */
  readonly sample: number;
  /** Licenses per page when walking ledger and platform. @defaultValue 500 */
  readonly pageSize: number;
  /** IANA time zone of the times in reports and worklists. @defaultValue `Asia/Shanghai` */
  readonly timeZone?: string;
}

export interface LogConfig {
  /** @defaultValue `info` */
  readonly level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** @defaultValue `auto` (text on a terminal, JSON otherwise) */
  readonly format: 'auto' | 'json' | 'text';
}

/**
 * A config the loader returns has every field the schema gives a `default` (config/schema-defaults.ts);
 * a component's config built in code (a test, a bench) may leave them out, and the component then
 * fills them from the same schema (config/source-defaults.ts, the signers' and targets'
 * constructors). These fields, and a target's (`DeliveryDefaultedField`, config/target-types.ts),
 * are the ones a loaded config always holds.
 *
 * The source fields the schema defaults. `statementTimeoutMs`, `connectTimeoutMs` and `lagMs` are
 * a database source's only: an xml-files source's variant refuses them, so its config lacks them.
 */
export type SourceDefaultedField =
  | 'trim'
  | 'pageSize'
  | 'zeroDates'
  | 'maxValueBytes'
  | 'statementTimeoutMs'
  | 'connectTimeoutMs'
  | 'lagMs';

/** A source as the loader returns it. */
export type LoadedSourceConfig = Defaulted<SourceConfig, SourceDefaultedField>;

/** Every registered source kind (connectors/kinds.ts). */
export type { SourceKind };

export interface SourceConfig {
  readonly kind: SourceKind;
  /** sqlite: absolute path of the database file. */
  readonly path?: string;
  /** Network dialects: host, port, database, user, password, … */
  readonly connection?: Readonly<Record<string, string | number | boolean | TlsConfig>>;
  /** Columns whose CHAR padding is trimmed. @defaultValue `all` */
  readonly trim: 'all' | 'none' | readonly string[];
  /** Rows per page. @defaultValue 500 */
  readonly pageSize: number;
  /** Columns holding GBK/cp936 bytes stored in latin1 columns, decoded as `from`. @defaultValue none */
  readonly charset?: { readonly repair: readonly string[]; readonly from: string };
  /** Columns whose zero or placeholder dates (`00000000`, `0000-00-00`, `00000000000000`) become null. @defaultValue `none` */
  readonly zeroDates?: 'all' | 'none' | readonly string[];
  /** Largest text or binary value (LOBs included) a row may carry, bytes; larger ones quarantine the row. @defaultValue 16777216 */
  readonly maxValueBytes?: number;
  /** Per-statement timeout on the source database, ms. @defaultValue 60000 */
  readonly statementTimeoutMs?: number;
  /** How long to wait for a connection, ms. @defaultValue 15000 */
  readonly connectTimeoutMs?: number;
  /** Local-time window in which reading is allowed, e.g. `20:00-06:00`. @defaultValue always */
  readonly readWindow?: string;
  /** Ceiling on rows read per second. @defaultValue no ceiling */
  readonly maxRowsPerSecond?: number;
  /**
   * Lag window of cursor streams, ms (see `StreamSpec.lagMs`). 0 is off: a date/time cursor on a
   * server database read so is warned about (connectors/sql/lag-window.ts). @defaultValue 0
   */
  readonly lagMs?: number;
  /** xml-files: file names read from `path`, a glob without folders. @defaultValue `*.xml` */
  readonly pattern?: string;
  /** xml-files: slash-separated element path of one record, e.g. `Root/Records/Record`. */
  readonly recordPath?: string;
  /** xml-files: field names every record is expected to carry (checks streams before the first export). */
  readonly fields?: readonly string[];
  /** xml-files: how the files' bytes are decoded; `gbk` is decoded as GB18030, a named one trusted. @defaultValue `auto` */
  readonly encoding?: 'auto' | SourceEncoding;
  /** xml-files: largest file read, bytes; a larger one stops the read. @defaultValue 67108864 */
  readonly maxFileBytes?: number;
}

export interface StreamConfig {
  readonly table: string;
  readonly key: string;
  readonly cursor?: string;
  /** A read-only SELECT read instead of the table (SQL sources). */
  readonly query?: string;
  /** Values bound to the query's `?` placeholders. */
  readonly params?: readonly (string | number | boolean | null)[];
  /** Overrides the source's lag window, ms; 0 is off (warned about as the source's 0 is). */
  readonly lagMs?: number;
  /** SQL sources: the key is declared to be on one row at most (see `StreamSpec.keyUnique`). */
  readonly keyUnique?: boolean;
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
  /** Rows per page: the pipeline's own, else its source's (resolved by the loader). */
  readonly pageSize: number;
  /** Share of a run's rows read whose quarantine needs a person (`status` exits 3). @defaultValue 0.05 */
  readonly quarantineAlertShare: number;
  /**
   * Quarantined keys whose fault may have been fixed elsewhere (another row of the key, the license
   * a renewal names, the mapping) read again by key per run, least recently seen first
   * (pipelines/quarantine-recheck.ts); 0 reads none again. @defaultValue 500
   */
  readonly quarantineRecheck: number;
  /** Derived expiry: a `valid` license past its `validTo` is `expired` (docs/lifecycle.md). @defaultValue true */
  readonly expiry: boolean;
}

/** An electronic seal: its `SESeal` file, the signer that signs with it, and whether it may sign. */
export interface SealConfig {
  /** Absolute path of the seal file. */
  readonly file: string;
  /** Name of the signer whose certificate the seal lists. */
  readonly signer: string;
  /** @defaultValue `active` */
  readonly status: 'active' | 'revoked' | 'lost';
  /** When the seal was revoked or reported lost (ISO time with its zone); unknown when absent. */
  readonly since?: string;
}

/** A retired seal key `verify` accepts: its certificate or public key (PEM), absolute path. */
export interface TrustedKeyConfig {
  readonly sealId: string;
  readonly file: string;
  /** What the key is trusted for; both when absent. */
  readonly role?: 'signer' | 'seal-maker' | 'tsa';
}

/**
 * A signer of any registered kind (adapters/signers/kinds.ts): each kind's config type sits next to
 * its code and the union follows the registry, so a new kind adds no line here.
 */
export type SignerConfig = ConfigOfKind<(typeof SIGNER_KINDS)[number]>;

/** `lifecycle.reminders.<license type>` (config/schema/reminders.ts). */
export interface ReminderTypeConfig {
  /** The notify target. */
  readonly target: string;
  /** Days before `validTo`. */
  readonly thresholds: readonly number[];
  readonly template?: string;
}

/** `licbridge serve`: the operations endpoint. See `config/schema/serve.ts` for the descriptions. */
export interface ServeConfig {
  /** @defaultValue `127.0.0.1` */
  readonly host: string;
  /** @defaultValue 9464 */
  readonly port: number;
  /** Host names a request may name while serve listens on loopback, besides localhost and IPs. @defaultValue [] */
  readonly allowedHosts: readonly string[];
  readonly auth: { readonly username?: string; readonly password?: string; readonly token?: string };
  /** A bearer token that opens /metrics, /healthz and /readyz only. @defaultValue {} */
  readonly metricsAuth: { readonly token?: string };
  /** @defaultValue true */
  readonly dashboard: boolean;
  /** @defaultValue false */
  readonly protectMetrics: boolean;
  /** @defaultValue 3000 */
  readonly checkTimeoutMs: number;
  /** @defaultValue true */
  readonly checkSources: boolean;
  /** /readyz runs its checks at most this often, ms. @defaultValue 5000 */
  readonly readyCacheMs: number;
  /** Connections served at once; more are closed unanswered. @defaultValue 256 */
  readonly maxConnections: number;
}

export interface MetricsConfig {
  /** @defaultValue `licbridge_` */
  readonly prefix: string;
  /** @defaultValue true */
  readonly processMetrics: boolean;
  /** @defaultValue 5000 */
  readonly cacheMs: number;
  /** @defaultValue 60000 */
  readonly lagIntervalMs: number;
  /** @defaultValue 10000 */
  readonly lagLimit: number;
}

/** `tls:` of a connection (config/schema/tls.ts): PEM values already resolved from `${file:…}`. */
export type TlsConfig = import('../core/tls.js').TlsSettings;

/** The `calendar` section (docs/lifecycle.md). */
export interface CalendarConfig {
  /** Use the arrangements licbridge ships. @defaultValue true */
  readonly shipped: boolean;
  /** Arrangements by year (`"2027"`); a year here replaces the shipped one. @defaultValue {} */
  readonly years: Readonly<Record<string, CalendarYearConfig>>;
}

export interface CalendarYearConfig {
  /** Days off, `YYYY-MM-DD`. @defaultValue [] */
  readonly holidays: readonly string[];
  /** Adjusted working weekends, `YYYY-MM-DD`. @defaultValue [] */
  readonly workdays: readonly string[];
  /** Where the days come from. */
  readonly source?: string;
}

/** The `deadlines` section (docs/lifecycle.md). */
export interface DeadlinesConfig {
  /** Working days a new version may wait for acceptance at each target. @defaultValue 3 */
  readonly backlogWorkingDays: number;
  /** Working days an objection may stay open. @defaultValue 5 */
  readonly objectionWorkingDays: number;
}
