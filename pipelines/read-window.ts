/**
 * A command a person runs against a source (preview, discover) outside the source's `readWindow`:
 * the department allows reads only inside it, and a read there answers with no rows — which a
 * person would take for an empty table. Refused, naming the window and the host time.
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
  if (!outsideReadWindow(config, source, now)) return;
  const window = (config.sources[source] as { readWindow?: string }).readWindow;
  throw new LicbridgeError(
    ErrorCodes.USAGE,
    `${command}: source ${source} is read only in its readWindow \`${window}\` (sources.${source}.readWindow in ${config.file}); host time is ${hostTime(now)}: nothing was read. Run ${command} inside the window`,
    { context: { source } },
  );
}
