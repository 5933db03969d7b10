/**
 * Opens the connector for a configured source through its kind's spec (connectors/kinds.ts), so
 * a deployment loads only the drivers its config names.
 */
import type { SourceConfig } from '../config/types.js';
import { ErrorCodes, LicbridgeError } from '../core/errors.js';
import type { OpenSourceOptions } from './kind-spec.js';
import { SOURCE_KINDS, sourceKind } from './kinds.js';
import type { SourceConnector } from './source.js';

export type { OpenSourceOptions };

export async function openSource(
  name: string,
  config: SourceConfig,
  options: OpenSourceOptions = {},
): Promise<SourceConnector> {
  const spec = sourceKind(String(config.kind));
  if (!spec) {
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `source ${name}: kind \`${String(config.kind)}\` is not yet supported (supported: ${SOURCE_KINDS.map((s) => s.kind).join(', ')})`,
      { context: { source: name } },
    );
  }
  return spec.open(name, config, options);
}
