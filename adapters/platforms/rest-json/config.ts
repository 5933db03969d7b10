/** The config of a `rest-json` target (its schema: ./kind.ts), as the loader returns it. */

import type {
  TargetAuthConfig,
  TargetCodeLists,
  TargetDeliveryConfig,
} from '../../../config/target-types.js';
import type { TlsConfig } from '../../../config/types.js';

export interface RestJsonTargetConfig extends TargetDeliveryConfig {
  readonly kind: 'rest-json';
  /** Base URL; batches are POSTed to `<url>/licenses/batch`. */
  readonly url: string;
  readonly auth: TargetAuthConfig;
  readonly codes?: TargetCodeLists;
  /** Path under `url` answering `{ "types": [ … ] }` for `licbridge catalog pull`. @defaultValue `/catalog/types` */
  readonly catalogPath?: string;
  /** Sealed license files sent with each version (adapters/platforms/rest-json/file-options.ts). @defaultValue `{ send: off }` */
  readonly licenseFiles?: {
    readonly send?: 'off' | 'base64' | 'multipart';
    readonly property?: string;
    readonly maxBytes?: number;
    readonly whenMissing?: 'send-without' | 'wait';
  };
  /** Largest request body, bytes; a batch is cut before the license that would pass it (./batch-bytes.ts). @defaultValue 33554432 */
  readonly maxBatchBytes?: number;
  readonly tls?: TlsConfig;
}
