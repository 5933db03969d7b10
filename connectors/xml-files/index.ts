/**
 * Opens an xml-files source from its config. fast-xml-parser and iconv-lite load only when a
 * source of this kind is configured.
 */
import type { SourceConfig } from '../../config/types.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import type { XmlFileLedger } from './file-ledger.js';
import { XmlFilesSource } from './xml-source.js';

export const XML_DEFAULTS = { pattern: '*.xml', encoding: 'auto', maxFileBytes: 64 * 1024 * 1024 } as const;

export function openXmlFilesSource(
  name: string,
  config: SourceConfig,
  options: { fileLedger?: XmlFileLedger } = {},
): XmlFilesSource {
  if (!config.path || !config.recordPath) {
    const missing = config.path ? 'recordPath' : 'path';
    throw new LicbridgeError(
      ErrorCodes.CONFIG_INVALID,
      `xml-files ${name}: open failed: \`sources.${name}.${missing}\` is required`,
      { context: { source: name } },
    );
  }
  return new XmlFilesSource(
    name,
    {
      folder: config.path,
      pattern: config.pattern ?? XML_DEFAULTS.pattern,
      recordPath: config.recordPath,
      ...(config.fields ? { fields: config.fields } : {}),
      encoding: config.encoding ?? XML_DEFAULTS.encoding,
      maxFileBytes: config.maxFileBytes ?? XML_DEFAULTS.maxFileBytes,
      trim: config.trim ?? 'all',
    },
    options.fileLedger ?? null,
  );
}
