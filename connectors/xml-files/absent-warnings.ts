/**
 * Telling of the elements an export file leaves out (carried.ts): a `warn` line once per file
 * read, and the same names on the first page of the file's rows, so the run that reads those rows
 * can count them. Also of elements beside its records that carry the key and are not read.
 * Names only: neither a log line nor a page's warning ever holds a value.
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

/**
 * Tells once per file read of the elements of another name beside its records, in their
 * container, that carry the stream's `key` (record-path.ts `besideRecords`): deletions an export
 * tool writes as elements of their own (`<Deleted>`), or records it names otherwise. `recordPath`
 * names the record element, so they are not read; a header or a count carries no key and is not told.
 */
export function warnBeside(logger: Logger, source: string, file: LoadedFile, key: string): void {
  const { beside, recordName } = file.parsed;
  for (const b of beside ?? []) {
    if (!b.fields.includes(key)) continue;
    logger.warn(
      { source, file: file.name, records: file.parsed.records.length, key },
      `xml-files ${source}: file ${file.name}: ${b.where} carrying the key field \`${key}\` beside its <${recordName}> records: they are not read (\`recordPath\` names <${recordName}>), so what they say of their licenses (a deletion, a change) is lost; have the export tool write them as <${recordName}> records, or read them with a source of their own`,
    );
  }
}
