/**
 * The stream's names checked against the records: the record path a stream's `table` names, the
 * key and cursor among the fields of the folder's records, and the elements a file's records
 * leave out (carried.ts).
 */
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import type { StreamSpec } from '../source.js';
import { suggestion } from '../sql/close-matches.js';
import { type AbsentElement, checkCarried, closeElement } from './carried.js';
import type { ExportFolder, LoadedFile } from './export-folder.js';

/** Refuses a stream whose `table` is not the source's `recordPath`. */
export function resolveTable(folder: ExportFolder, table: string): void {
  if (table === folder.options.recordPath) return;
  throw new LicbridgeError(
    ErrorCodes.SOURCE_SCHEMA,
    `xml-files ${folder.source}: record path \`${table}\` not found: this source reads \`${folder.options.recordPath}\` (a stream's \`table\` names the source's \`recordPath\`)`,
    { context: { source: folder.source } },
  );
}

/** The named elements no record of `file` carries, read as null there; throws as checkCarried does. */
export function carriedIn(folder: ExportFolder, stream: StreamSpec, file: LoadedFile): AbsentElement[] {
  return checkCarried({
    source: folder.source,
    recordPath: folder.options.recordPath,
    file: file.name,
    records: file.parsed.records.length,
    fields: file.parsed.fields,
    stream,
    expected: folder.options.fields,
    strays: file.parsed.strays,
  });
}

/**
 * The key and cursor must be fields of the records (when any are known). `records`: the fields
 * are the records' — a cursor none carries is read as null (an export leaving out empty
 * elements, carried.ts) unless one of them is a close match of it; a declared list must name it.
 */
export function checkFields(
  folder: ExportFolder,
  stream: StreamSpec,
  fields: readonly string[],
  from: 'records' | 'declared',
): void {
  const known = new Set([...fields, ...(folder.options.fields ?? [])]);
  if (known.size === 0) return;
  for (const [role, field] of [
    ['key', stream.key],
    ['cursor', stream.cursor],
  ] as const) {
    if (field === undefined || known.has(field)) continue;
    if (role === 'cursor' && from === 'records' && ![...known].some((f) => closeElement(field, f))) continue;
    throw new LicbridgeError(
      ErrorCodes.SOURCE_SCHEMA,
      `xml-files ${folder.source}: ${role} field \`${field}\` not found in the records at \`${folder.options.recordPath}\`; ${suggestion(field, [...known], 'fields')}`,
      { context: { source: folder.source } },
    );
  }
}

/**
 * The key and cursor must be fields of some record of the folder (a cursor none carries, with no
 * close match either, is read as null: carried.ts). A file with records carries the key or is
 * refused; the files read may all be empty exports, or lack the cursor, and then the other files
 * are parsed to look for the name, or a misspelt one, before the first records arrive.
 */
export async function checkFieldsIn(
  folder: ExportFolder,
  stream: StreamSpec,
  seen: Set<string>,
  others: readonly string[],
): Promise<void> {
  const declared = folder.options.fields ?? [];
  const missing = () =>
    [stream.key, stream.cursor].some((f) => f !== undefined && !seen.has(f) && !declared.includes(f));
  for (const name of others) {
    if (!missing()) return;
    let file: LoadedFile | null = null;
    try {
      file = await folder.load(name);
    } catch {
      // A file that cannot be read says nothing about the fields; reading it reports it.
    }
    for (const f of file?.parsed.fields ?? []) seen.add(f);
  }
  checkFields(folder, stream, [...seen], 'records');
}

/**
 * `lists` against the declared `fields`: each names a declared field, or the element holding
 * declared fields (`JYXM` for `JYXM.XMMC`). A list naming none reads nothing as a list, and the
 * mapping expecting one got the element's text for one-item records, as without the setting.
 */
export function checkListsDeclared(
  source: string,
  lists: readonly string[],
  fields: readonly string[],
): void {
  for (const list of lists) {
    if (fields.some((f) => f === list || f.startsWith(`${list}.`))) continue;
    throw new LicbridgeError(
      ErrorCodes.CONFIG_INVALID,
      `xml-files ${source}: open failed: \`sources.${source}.lists\` names \`${list}\`, which is no field of \`fields\` nor an element holding one; ${suggestion(list, fields, 'fields')}`,
      { context: { source } },
    );
  }
}

/**
 * A list naming the stream's key or cursor: each is one value per record, and read as a list it
 * would be a JSON list text (a record keyed `["1"]`). Refused at the stream, naming both.
 */
export function checkListsOfStream(folder: ExportFolder, stream: StreamSpec): void {
  const lists = folder.options.lists ?? [];
  for (const [role, field] of [
    ['key', stream.key],
    ['cursor', stream.cursor],
  ] as const) {
    if (field === undefined || !lists.includes(field)) continue;
    throw new LicbridgeError(
      ErrorCodes.CONFIG_INVALID,
      `xml-files ${folder.source}: \`sources.${folder.source}.lists\` names \`${field}\`, the ${role} of stream ${stream.table}: a record has one ${role}, not a list of them; remove it from \`lists\``,
      { context: { source: folder.source } },
    );
  }
}
