/** The `open` of every SQL kind's spec: load the dialect, then the shared SQL source, lazily. */
import type { SourceConfig } from '../../config/types.js';
import type { OpenSourceOptions } from '../kind-spec.js';
import type { SourceConnector } from '../source.js';
import type { SqlDialect } from './dialect.js';

export function sqlOpener(
  load: () => Promise<SqlDialect>,
): (name: string, config: SourceConfig, options?: OpenSourceOptions) => Promise<SourceConnector> {
  return async (name, config, options = {}) => {
    const [{ openSqlSource }, dialect] = await Promise.all([import('./index.js'), load()]);
    return openSqlSource(
      name,
      config,
      dialect,
      options.logger ? { logger: options.logger } : {},
      options.timeZone === undefined ? {} : { timeZone: options.timeZone },
    );
  };
}
