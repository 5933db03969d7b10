/**
 * Opens an xml-files source from its config. fast-xml-parser and iconv-lite load only when a
 * source of this kind is configured.
 */
import type { Defaulted } from '../../config/schema-defaults.js';
import { withSourceDefaults } from '../../config/source-defaults.js';
import type { LoadedSourceConfig, SourceConfig } from '../../config/types.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { parseReadWindow } from '../sql/gentle.js';
import type { ConnectorStatePort } from '../state-port.js';
import { checkListsDeclared } from './field-checks.js';
import { XmlFilesSource } from './xml-source.js';

/** An xml-files source's config with its kind's defaults: the export-file knobs are set too. */
type XmlSourceConfig = Defaulted<LoadedSourceConfig, 'pattern' | 'encoding' | 'maxFileBytes'> & {
  /** Elements read as a list in every record (config/schema/sources.ts). */
  readonly lists?: readonly string[];
};

export function openXmlFilesSource(
  name: string,
  given: SourceConfig,
  options: { state?: ConnectorStatePort; logger?: Logger; clock?: () => Date } = {},
): XmlFilesSource {
  // A loaded config has every default already; one built in code gets them from the same schema.
  const config = withSourceDefaults(given) as XmlSourceConfig;
  if (!config.path || !config.recordPath) {
    const missing = config.path ? 'recordPath' : 'path';
    throw new LicbridgeError(
      ErrorCodes.CONFIG_INVALID,
      `xml-files ${name}: open failed: \`sources.${name}.${missing}\` is required`,
      { context: { source: name } },
    );
  }
  // Matched against the names a folder lists, a pattern holding a `/` (`2026-11-05/*.xml`,
  // `**/*.xml`) matches none, and the folder read as empty on every run without a word.
  if (config.pattern.includes('/')) {
    throw new LicbridgeError(
      ErrorCodes.CONFIG_INVALID,
      `xml-files ${name}: open failed: \`sources.${name}.pattern\` is \`${config.pattern}\`, which names a path: it matches the names of the files in the folder \`path\` names, and sub-folders are not read; point \`path\` at the folder holding the export files (a source for each folder)`,
      { context: { source: name } },
    );
  }
  if (config.lists && config.fields) checkListsDeclared(name, config.lists, config.fields);
  return new XmlFilesSource(
    name,
    {
      folder: config.path,
      pattern: config.pattern,
      recordPath: config.recordPath,
      ...(config.fields ? { fields: config.fields } : {}),
      ...(config.lists ? { lists: config.lists } : {}),
      encoding: config.encoding,
      maxFileBytes: config.maxFileBytes,
      trim: config.trim,
      ...(config.zeroDates ? { zeroDates: config.zeroDates } : {}),
      maxValueBytes: config.maxValueBytes,
    },
    options.state ?? null,
    options.logger,
    {
      ...(config.readWindow ? { window: parseReadWindow(name, config.readWindow) } : {}),
      ...(config.maxRowsPerSecond ? { maxRowsPerSecond: config.maxRowsPerSecond } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
    },
  );
}
