/**
 * A command a person runs against a source (preview, discover; an objection's uphold re-reads it)
 * outside the source's `readWindow`: the department allows reads only inside it, and a read there
 * answers with no rows — which a person would take for an empty table, or an uphold for a row not
 * corrected. Refused, naming the window and the host time.
 */
import type { Config } from '../config/types.js';
import { hostTime } from '../connectors/sql/gentle.js';
import { ErrorCodes, LicbridgeError } from '../core/errors.js';
import { outsideReadWindow } from './observability/lag.js';

export function refuseOutsideReadWindow(
  config: Readonly<Config>,
  command: string,
  source: string,
  now: Date,
): void {
  const closed = readWindowClosed(config, source, now);
  if (closed === null) return;
  throw new LicbridgeError(
    ErrorCodes.USAGE,
    `${command}: ${closed}: nothing was read. Run ${command} inside the window`,
    { context: { source } },
  );
}

/**
 * Outside the source's `readWindow` at `now`: what says so, naming the window, where the config
 * sets it and the host time (`source S is read only in its readWindow …; host time is …`); null
 * inside it, or with no window.
 */
export function readWindowClosed(config: Readonly<Config>, source: string, now: Date): string | null {
  if (!outsideReadWindow(config, source, now)) return null;
  const window = (config.sources[source] as { readWindow?: string }).readWindow;
  return `source ${source} is read only in its readWindow \`${window}\` (sources.${source}.readWindow in ${config.file}); host time is ${hostTime(now)}`;
}
