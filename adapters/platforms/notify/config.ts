/** The config of a `notify` target, a message gateway (its schema: ./kind.ts), as the loader returns it. */

import type { TargetAuthConfig } from '../../../config/target-types.js';
import type { TlsConfig } from '../../../config/types.js';

/** A message gateway sending expiry reminders to holders (config/schema/reminders.ts). Takes no licenses. */
export interface NotifyTargetConfig {
  readonly kind: 'notify';
  /** Base URL; each reminder is POSTed to `<url>/messages`. */
  readonly url: string;
  /** `sms` to `contact.phone`, `push` to `contact.appUserId`. @defaultValue `sms` */
  readonly channel: 'sms' | 'push';
  readonly auth: TargetAuthConfig;
  readonly tls?: TlsConfig;
  /** The gateway's template id. @defaultValue `license-expiry` */
  readonly template: string;
  readonly sender?: string;
  /** @defaultValue 10000 */
  readonly timeoutMs: number;
  /** Reminders in flight at once. @defaultValue 4 */
  readonly concurrency: number;
  /** Attempts per reminder within one tick. @defaultValue 3 */
  readonly attempts: number;
  /** @defaultValue 1000 */
  readonly backoffMs: number;
}
