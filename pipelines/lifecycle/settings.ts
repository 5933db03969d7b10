/** The `lifecycle` section as the tick reads it, with the schema's defaults for a config without it. */
import type { Config, LifecycleConfig } from '../../config/types.js';
import { DEFAULT_TIME_ZONE } from '../../core/local-date.js';

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
