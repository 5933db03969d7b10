/**
 * Telling of the elements an export file leaves out (carried.ts): a `warn` line once per file
 * read, and the same names on the first page of the file's rows, so the run that reads those rows
 * can count them. Names only: neither a log line nor a page's warning ever holds a value.
 */
import type { Logger } from '../../core/logger.js';
import type { AbsentElementsWarning } from '../source.js';
import type { AbsentElement } from './carried.js';
import type { LoadedFile } from './export-folder.js';

export const CODE_ELEMENT_ABSENT = 'LB_SOURCE_ELEMENT_ABSENT';

/** The page warning of a file whose records all leave out the named elements; null: none. */
export function absentWarning(file: string, absent: readonly AbsentElement[]): AbsentElementsWarning | null {
  if (absent.length === 0) return null;
  return { code: CODE_ELEMENT_ABSENT, file, elements: absent.map((a) => a.field) };
}

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
