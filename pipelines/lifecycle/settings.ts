/** The `lifecycle` section as the tick reads it, with the schema's defaults for a config without it. */
import type { Config, LifecycleConfig } from '../../config/types.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { DEFAULT_TIME_ZONE, localDate, parseIsoDate } from '../../core/local-date.js';

export interface LifecycleSettings {
  timeZone: string;
  schedule: string;
  pageSize: number;
}

export const DEFAULT_LIFECYCLE_SCHEDULE = '5 0 * * *';

export function lifecycleSettings(config: Pick<Config, 'lifecycle'>): LifecycleSettings {
  const l: Partial<LifecycleConfig> = config.lifecycle ?? {};
  return {
    timeZone: l.timeZone ?? DEFAULT_TIME_ZONE,
    schedule: l.schedule ?? DEFAULT_LIFECYCLE_SCHEDULE,
    pageSize: l.pageSize ?? 500,
  };
}

/**
 * Today for derived expiry. `LICBRIDGE_TODAY` (`YYYY-MM-DD`) pins it for a whole process — demos
 * and tests that must see a fixed day; without it, the wall-clock date in `lifecycle.timeZone`.
 */
export function lifecycleToday(config: Pick<Config, 'lifecycle'>): () => string {
  const pinned = process.env.LICBRIDGE_TODAY;
  if (pinned) {
    if (!parseIsoDate(pinned)) {
      throw new LicbridgeError(
        ErrorCodes.USAGE,
        `lifecycle: LICBRIDGE_TODAY: expected a date YYYY-MM-DD, got \`${pinned}\``,
      );
    }
    return () => pinned;
  }
  const zone = lifecycleSettings(config).timeZone;
  // Checked once, here: a zone Intl does not know would otherwise fail inside every row's mapping.
  try {
    localDate(zone);
  } catch {
    throw new LicbridgeError(
      ErrorCodes.CONFIG_INVALID,
      `lifecycle.timeZone: \`${zone}\` is not a time zone this system knows (an IANA name such as Asia/Shanghai)`,
    );
  }
  return () => localDate(zone);
}
