/**
 * Read windows (`sources.<name>.readWindow`) relative to now on the host's clock, which is the
 * clock a window is read on: one that opens in two hours is closed now, whatever the hour.
 */
import type { Config } from '../../config/types.js';

/** `HH:MM` on the host's clock, `hours` from now. */
export function hostClock(hours: number): string {
  const at = new Date(Date.now() + hours * 3_600_000);
  return `${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`;
}

/** `config` with `source` read only in a window that opens in two hours: closed now. */
export function withWindowClosed(
  config: Readonly<Config>,
  source: string,
): { config: Config; window: string } {
  const window = `${hostClock(2)}-${hostClock(3)}`;
  return {
    config: {
      ...config,
      sources: { ...config.sources, [source]: { ...config.sources[source], readWindow: window } },
    } as Config,
    window,
  };
}
