import { source } from './schema/sources.js';
import { withSchemaDefaults } from './schema-defaults.js';
import type { LoadedSourceConfig, SourceConfig } from './types.js';

/**
 * A source's config with its kind's schema defaults: a loaded config has them already; one built
 * in code (a test, a bench, a tool) gets the same values here, from the same schema.
 */
export function withSourceDefaults(config: SourceConfig): LoadedSourceConfig {
  return withSchemaDefaults(source, config) as LoadedSourceConfig;
}
