/**
 * The target (platform) adapter contract: deliver a batch, get one outcome per license.
 */
import type { License, LicenseOperation } from '../../catalog/license.js';

export interface DeliveryItem {
  /** `<licenseId>:<version>:<target>` — sent as the platform's idempotency key. */
  key: string;
  licenseId: string;
  version: number;
  operation: LicenseOperation;
  license: License;
  signature: { algorithm: string; value: string; digest: string; sealId: string };
}

export type DeliveryState = 'accepted' | 'submitted' | 'rejected' | 'failed';

export interface DeliveryOutcome {
  key: string;
  state: DeliveryState;
  /** The platform's own id for the license, when it returns one. */
  platformId?: string;
  reasons?: string[];
  /** For `failed`: whether trying again may succeed. */
  retryable?: boolean;
  receipt?: Record<string, unknown>;
}

export interface TargetAdapter {
  readonly name: string;
  readonly kind: string;
  deliver(items: readonly DeliveryItem[]): Promise<DeliveryOutcome[]>;
  close(): Promise<void>;
}
