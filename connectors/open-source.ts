/**
 * Opens the connector for a configured source. Implementations are imported by kind, so a
 * deployment loads only the drivers its config names.
 */
import type { SourceConfig } from '../config/types.js';
import { ErrorCodes, LicbridgeError } from '../core/errors.js';
import type { SourceConnector } from './source.js';

const SQL = new Set(['sqlite', 'postgres', 'mysql', 'mssql', 'oracle']);

export async function openSource(name: string, config: SourceConfig): Promise<SourceConnector> {
  if (SQL.has(config.kind)) {
    const { openSqlSource } = await import('./sql/index.js');
    return openSqlSource(name, config);
  }
  if (config.kind === 'xml-files') {
    const { openXmlFilesSource } = await import('./xml-files/index.js');
    return openXmlFilesSource(name, config);
  }
  // Other kinds (xml-files) are added here, each behind its own dynamic import.
  throw new LicbridgeError(
    ErrorCodes.USAGE,
    `source ${name}: kind \`${String(config.kind)}\` is not yet supported (supported: ${[...SQL].join(', ')})`,
    { context: { source: name } },
  );
}
