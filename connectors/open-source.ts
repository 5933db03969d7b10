/**
 * Opens the connector for a configured source through its kind's spec (connectors/kinds.ts), so
 * a deployment loads only the drivers its config names.
 */
import type { SourceConfig } from '../config/types.js';
import type { OpenSourceOptions } from './kind-spec.js';
import { sourceKinds } from './kinds.js';
import type { SourceConnector } from './source.js';

export type { OpenSourceOptions };

export async function openSource(
  name: string,
  config: SourceConfig,
  options: OpenSourceOptions = {},
): Promise<SourceConnector> {
  return sourceKinds.require(config.kind, `source ${name}`, { source: name }).open(name, config, options);
}
