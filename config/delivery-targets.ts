import type { LoadedDeliveryTargetConfig } from './target-types.js';
import type { Config } from './types.js';

/**
 * The config of a target licenses are delivered to, or undefined for an unknown name and for a
 * `notify` target (it sends reminders, and has no batches, queue knobs or code lists).
 */
export function deliveryTarget(
  config: Pick<Config, 'targets'>,
  name: string,
): LoadedDeliveryTargetConfig | undefined {
  const t = config.targets[name];
  return t === undefined || t.kind === 'notify' ? undefined : t;
}

/** The names of the targets licenses are delivered to (every target but `notify` ones), in config order. */
export function deliveryTargetNames(config: Pick<Config, 'targets'>): string[] {
  return Object.keys(config.targets).filter((t) => deliveryTarget(config, t) !== undefined);
}
