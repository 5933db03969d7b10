/** The config of a `remote` signer, a signing server (its schema: ./kind.ts), as the loader returns it. */

import type { NoAuthConfig } from '../../../config/target-types.js';
import type { TlsConfig } from '../../../config/types.js';

export interface RemoteSignerBearerAuth {
  readonly scheme: 'bearer';
  readonly token: string;
}

export interface RemoteSignerHmacAuth {
  readonly scheme: 'hmac';
  readonly appKey: string;
  readonly secret: string;
}

export type RemoteSignerAuthConfig = NoAuthConfig | RemoteSignerBearerAuth | RemoteSignerHmacAuth;

/** A signing server (签名验签服务器) reached over HTTP; it signs SM3 digests with the seal key it holds. */
export interface RemoteSignerConfig {
  readonly kind: 'remote';
  /** Base URL of the signing server's API. */
  readonly url: string;
  /** The key's name on the server. @defaultValue the `sealId` */
  readonly keyLabel?: string;
  readonly auth: RemoteSignerAuthConfig;
  /** Absolute path of the seal certificate (PEM); when absent, the server's certificate is used. */
  readonly certificate?: string;
  readonly sealId: string;
  /** @defaultValue `1234567812345678` */
  readonly distId: string;
  readonly tls?: TlsConfig;
  /** Digests per request. @defaultValue 50 */
  readonly batchSize: number;
  /** Requests in flight at once. @defaultValue 16 */
  readonly concurrency: number;
  /** Per-request timeout, ms. @defaultValue 10000 */
  readonly timeoutMs: number;
  /** Attempts per request on 5xx, 429, 408 and timeouts; a `Retry-After` up to `maxBackoffMs` is waited. @defaultValue 5 */
  readonly attempts: number;
  /** First retry delay, ms; doubles per attempt, with jitter. @defaultValue 100 */
  readonly backoffMs: number;
  /** Longest wait between two attempts, ms, a `Retry-After` included. @defaultValue 30000 */
  readonly maxBackoffMs?: number;
  /**
   * Which signatures of each answered batch are verified over the digest sent with the server's
   * key before any is handed back: `all`, or `sample` (the first, the last and one between).
   * @defaultValue `all`
   */
  readonly verify?: 'all' | 'sample';
}
