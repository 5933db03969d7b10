/** The config of a `soap-xml` target (its schema: ./kind.ts), as the loader returns it. */

import type { TargetCodeLists, TargetDeliveryConfig } from '../../../config/target-types.js';
import type { TlsConfig } from '../../../config/types.js';

export interface SoapXmlTargetConfig extends TargetDeliveryConfig {
  readonly kind: 'soap-xml';
  /** Endpoint URL of the web service. */
  readonly url: string;
  /** Target namespace of the service's operations. @defaultValue `http://exchange.city.gov.cn/license` */
  readonly namespace?: string;
  /** WS-Security UsernameToken, when the service asks for one. */
  readonly username?: string;
  readonly password?: string;
  readonly codes?: TargetCodeLists;
  readonly tls?: TlsConfig;
  /** Largest request body, bytes; a batch is cut before the license that would pass it (shared/request-bytes.ts). @defaultValue 33554432 */
  readonly maxBatchBytes?: number;
}
