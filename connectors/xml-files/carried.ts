/**
 * The elements a config names — the stream's key and cursor, the source's `fields` — must be
 * carried by some record of each export file that has records. An element absent from every
 * record of a file is not a value that happens to be empty: the export tool renamed it (`<UpdTime>`
 * became `<UpdateTime>`) or the config misspells it, and read as null it would publish every
 * license of that file without it, or without a cursor, and nobody would be told. Such a file is
 * refused, naming the element and the nearest one the file does carry. A file where some records
 * carry the element and others lack it is read: there absent is null, record by record.
 */
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import type { StreamSpec } from '../source.js';
import { suggestion } from '../sql/close-matches.js';

interface CarriedCheck {
  source: string;
  recordPath: string;
  file: string;
  /** Records in the file. */
  records: number;
  /** Field names carried by at least one record of the file. */
  fields: readonly string[];
  stream: StreamSpec;
  /** The source's `fields`, if configured. */
  expected?: readonly string[] | undefined;
}

/** Throws `LB_SOURCE_SCHEMA` when a configured element is absent from every record of the file. */
export function checkCarried(check: CarriedCheck): void {
  if (check.records === 0) return;
  const carried = new Set(check.fields);
  const named: [string, string][] = [['key', check.stream.key]];
  if (check.stream.cursor !== undefined) named.push(['cursor', check.stream.cursor]);
  for (const field of check.expected ?? []) named.push(['declared', field]);
  const missing = named.filter(
    ([, field], i) => !carried.has(field) && named.findIndex(([, f]) => f === field) === i,
  );
  if (missing.length === 0) return;
  const what = missing
    .map(([role, field]) => `${role} field \`${field}\` (${suggestion(field, check.fields, 'fields')})`)
    .join(', ');
  const records = check.records === 1 ? 'the one record' : `any of the ${check.records} records`;
  throw new LicbridgeError(
    ErrorCodes.SOURCE_SCHEMA,
    `xml-files ${check.source}: field missing: file ${check.file}: ${what} not found in ${records} at \`${check.recordPath}\` — the export renamed the element or the config misspells it; the file is not read, nor the files after it, until the export or the config is fixed (a tool that leaves out empty elements must write them empty, \`<${missing[0]?.[1]}/>\`)`,
    { context: { source: check.source, file: check.file } },
  );
}
