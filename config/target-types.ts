/**
 * The config of a target (`targets.<name>`): the union over the registered kinds, and what the
 * kinds' variants share (config/schema/target-parts.ts declares the same as JSON Schema): the
 * authentication schemes, per-platform code lists and the delivery knobs of a target's queue.
 */

import type { TARGET_KINDS } from '../adapters/platforms/kinds.js';
import type { ConfigOfKind } from './config-of-kind.js';
import type { Defaulted } from './schema-defaults.js';
import type { TlsConfig } from './types.js';

/**
 * A target of any registered kind (adapters/platforms/kinds.ts), and the targets licenses are
 * delivered to (kinds with `delivers: true`; a `notify` gateway is in `Config.targets` but takes
 * reminders only). Each kind's config type sits next to its code; the unions follow the registry.
 */
export type TargetConfig = ConfigOfKind<(typeof TARGET_KINDS)[number]>;
export type DeliveryTargetConfig = ConfigOfKind<
  Extract<(typeof TARGET_KINDS)[number], { readonly delivers: true }>
>;

/** The delivery knobs every delivery target kind's schema variant defaults. */
export type DeliveryDefaultedField =
  | 'batchSize'
  | 'timeoutMs'
  | 'concurrency'
  | 'attempts'
  | 'backoffMs'
  | 'maxBackoffMs'
  | 'pendingAlertMs'
  | 'reviewWaitMs';

/** A delivery target as the loader returns it. */
export type LoadedDeliveryTargetConfig = DeliveryTargetConfig &
  Defaulted<TargetDeliveryConfig, DeliveryDefaultedField>;

/** A target as the loader returns it. */
export type LoadedTargetConfig = LoadedDeliveryTargetConfig | Exclude<TargetConfig, DeliveryTargetConfig>;

/** Delivery knobs every target kind shares; they drive its `deliver-<target>` queue. */
export interface TargetDeliveryConfig {
  /** Licenses per request. @defaultValue 100 */
  readonly batchSize: number;
  /** Request timeout, ms. @defaultValue 10000 */
  readonly timeoutMs: number;
  /** Jobs worked at once per worker process. @defaultValue 4 */
  readonly concurrency: number;
  /** Attempts before a delivery is dead-lettered. @defaultValue 8 */
  readonly attempts: number;
  /** First retry delay, ms; doubled per attempt, with jitter. @defaultValue 1000 */
  readonly backoffMs?: number;
  /** Longest wait between two attempts, ms. @defaultValue 30000 */
  readonly maxBackoffMs?: number;
  /** An open delivery older than this needs a person (`licbridge status`), ms. @defaultValue 3600000 */
  readonly pendingAlertMs?: number;
  /** With only platform reviews left, how long `licbridge run` waits for a verdict, ms. @defaultValue 600000 */
  readonly reviewWaitMs?: number;
  /** At most `max` jobs per `durationMs`, across every worker of this target. */
  readonly rateLimit?: { readonly max: number; readonly durationMs: number };
}

/** Per-platform code lists, overriding the national collection's codes one entry at a time. */
export interface TargetCodeLists {
  /** The base lists the overrides lie over. @defaultValue `national-collection` */
  readonly list?: 'national-collection' | 'national-push';
  readonly status?: Readonly<Record<string, string>>;
  readonly operation?: Readonly<Record<string, string>>;
  readonly holderIdType?: Readonly<Record<string, string>>;
}

export interface HmacAuthConfig {
  readonly scheme: 'hmac';
  readonly appKey: string;
  readonly secret: string;
}

export interface NoAuthConfig {
  readonly scheme: 'none';
}

/** Gateway headers (`x-tif-*` style): SHA-256 over timestamp + token + nonce + timestamp. */
export interface GatewayAuthConfig {
  readonly scheme: 'gateway';
  readonly paasId: string;
  readonly token: string;
}

/** `sign = md5(appKey + secret + requestTime)`; the secret may be refreshed from an API. */
export interface AppKeyMd5AuthConfig {
  readonly scheme: 'appkey-md5';
  readonly appKey: string;
  readonly secret: string;
  /** URL that returns a fresh secret (`{ "secret": "…" }`) when the platform answers 401. */
  readonly refreshUrl?: string;
  /** TLS for `refreshUrl`. @defaultValue the target's `tls` on its host, else none */
  readonly tls?: TlsConfig;
}

/** OAuth2 client_credentials; the token is cached until shortly before it expires. */
export interface OAuth2AuthConfig {
  readonly scheme: 'oauth2';
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scope?: string;
  /** Renew this long before `expires_in` runs out, s. @defaultValue 60 */
  readonly refreshSkewSeconds: number;
  /**
   * `clientId` and `clientSecret` in the HTTP Basic header as written, or each form-urlencoded
   * first (RFC 6749 §2.3.1). @defaultValue `raw`
   */
  readonly basicEncoding?: 'raw' | 'form-urlencoded';
  /** TLS for `tokenUrl`. @defaultValue the target's `tls` on its host, else none */
  readonly tls?: TlsConfig;
}

export type TargetAuthConfig =
  | HmacAuthConfig
  | NoAuthConfig
  | GatewayAuthConfig
  | AppKeyMd5AuthConfig
  | OAuth2AuthConfig;
