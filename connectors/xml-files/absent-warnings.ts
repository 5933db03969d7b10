/**
 * Telling of the elements an export file leaves out (carried.ts): a `warn` line once per file
 * read, and the same names on the first page of the file's rows, so the run that reads those rows
 * can count them. Names only: neither a log line nor a page's warning ever holds a value.
 */
import type { Logger } from '../../core/logger.js';
import type { Page } from '../source.js';
import type { AbsentElement } from './carried.js';
import type { LoadedFile } from './export-folder.js';

export const CODE_ELEMENT_ABSENT = 'LB_SOURCE_ELEMENT_ABSENT';

/**
 * A file read with elements the config names that none of its records carries: those elements
 * are null in every row of the file. Names the file and the elements, never a value.
 */
export interface AbsentElementsWarning {
  code: typeof CODE_ELEMENT_ABSENT;
  file: string;
  /** The element names, in the order the config names them (cursor, then `fields`). */
  elements: string[];
}

/** A page with the warnings of the file its rows come from, on the file's first page read. */
export type WarnedPage = Page & { warnings?: AbsentElementsWarning[] };

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
