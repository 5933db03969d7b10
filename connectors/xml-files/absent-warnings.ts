/**
 * Telling of the elements an export file leaves out (carried.ts): a `warn` line once per file
 * read. Names only: a log line never holds a value.
 */
import type { Logger } from '../../core/logger.js';
import type { AbsentElement } from './carried.js';
import type { LoadedFile } from './export-folder.js';

/**
 * Tells once per file read which named elements no record of it carries: they are read as null
 * (carried.ts).
 */
export function warnAbsent(
  logger: Logger,
  source: string,
  file: LoadedFile,
  absent: readonly AbsentElement[],
): void {
  if (absent.length === 0) return;
  logger.warn(
    {
      source,
      file: file.name,
      records: file.parsed.records.length,
      absent: absent.map((a) => `${a.role} ${a.field}`),
    },
    `xml-files ${source}: file ${file.name}: ${absent.map((a) => `${a.role} field \`${a.field}\``).join(', ')} carried by no record, and the file carries no close match: read as null (an export that leaves out empty elements)`,
  );
}
