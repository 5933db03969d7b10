/**
 * Opens the connector for a configured source. Implementations are imported by kind, so a
 * deployment loads only the drivers its config names.
 */
import type { SourceConfig } from '../config/types.js';
import { ErrorCodes, LicbridgeError } from '../core/errors.js';
import type { SourceConnector } from './source.js';
import type { XmlFileLedger } from './xml-files/file-ledger.js';

const SQL = new Set(['sqlite', 'postgres', 'mysql', 'mssql', 'oracle']);

export interface OpenSourceOptions {
  /** Where an XML export source records the files it has read, so a restart skips them. */
  fileLedger?: XmlFileLedger;
}

export async function openSource(
  name: string,
  config: SourceConfig,
  options: OpenSourceOptions = {},
): Promise<SourceConnector> {
  if (SQL.has(config.kind)) {
    const { openSqlSource } = await import('./sql/index.js');
    return openSqlSource(name, config);
  }
  if (config.kind === 'xml-files') {
    const { openXmlFilesSource } = await import('./xml-files/index.js');
    return openXmlFilesSource(name, config, options.fileLedger ? { fileLedger: options.fileLedger } : {});
  }
  throw new LicbridgeError(
    ErrorCodes.USAGE,
    `source ${name}: kind \`${String(config.kind)}\` is not yet supported (supported: ${[...SQL, 'xml-files'].join(', ')})`,
    { context: { source: name } },
  );
}
