/**
 * How a version's license is stored in `license_versions.payload`. The license's `identifier` is
 * the row's own `identifier` column: the text leaves it out (~85 bytes a version) when it is the
 * license's first field, and reading puts it back first, so a version reads back with its fields
 * in the order they were written. Text that holds the identifier (rows written before, or a license
 * whose first field is another) reads as it is.
 *
 * Each field's value is written in its canonical form (RFC 8785, catalog/canonical.ts: names
 * sorted inside it), the fields themselves in the license's own order: the signed form is then
 * the stored fields sorted by name with the identifier among them, made without parsing the text
 * (ledger/stored-signed-form.ts), and the fields' order still reads back as written. Rows written
 * before hold JSON.stringify's text, names inside a value in the order they were written.
 */
import type { License } from '../catalog/license.js';
import { canonicalValue } from './canonical-value.js';
import { parseJson } from './db.js';
import { joinPayload } from './version-context.js';

/** The column text of `payload` for a row whose `identifier` column is `license.identifier`. */
export function payloadColumn(license: License): string {
  const text = fieldsText(license) ?? JSON.stringify(license);
  // The identifier as the first member is exactly this prefix: cut from the text, not rebuilt.
  const prefix = `{"identifier":${JSON.stringify(license.identifier)},`;
  return text.startsWith(prefix) ? `{${text.slice(prefix.length)}` : text;
}

/**
 * The license's fields in its own order, each value's text canonical (jcs), as JSON.stringify
 * would leave a field out (undefined, a function or symbol). Undefined for a license JSON.stringify
 * writes as something else than its own fields (one with `toJSON`), or with a value jcs refuses
 * (NaN, Infinity: such a license has no content hash either): its text is JSON.stringify's.
 */
function fieldsText(license: License): string | undefined {
  const record = license as unknown as Record<string, unknown>;
  if (record === null || typeof record !== 'object' || Array.isArray(record)) return undefined;
  if (typeof record.toJSON === 'function') return undefined;
  let out = '{';
  try {
    for (const name of Object.keys(record)) {
      const value = record[name];
      if (value === undefined || typeof value === 'function' || typeof value === 'symbol') continue;
      out += `${out.length === 1 ? '' : ','}${JSON.stringify(name)}:${canonicalValue(value)}`;
    }
  } catch {
    return undefined;
  }
  return `${out}}`;
}

/**
 * The license of a stored row: its `payload` text with the row's `identifier` put back first, and
 * the members its `version_contexts.payload` holds (`context`, ledger/version-context.ts) put back
 * where they stood.
 *
 * The identifier goes back into the text, so the text is parsed once into the license (the sign
 * and deliver stages read every version of a run back, and a parsed copy spread into another was
 * garbage as large as the license). Only when the text names no `identifier` anywhere: otherwise
 * (text written with it, or holding the word in a value) it is parsed and looked at as before.
 */
export function readPayload(text: string, identifier: string, context?: string | null): License {
  const joined = joinPayload(text, context);
  // `\u`: a name could spell `identifier` with escapes (JSON.stringify never escapes a letter).
  // `identifier"` without the opening quote finds every `"identifier"` and more (`"unitidentifier"`,
  // read the long way, to the same license), ~3x faster: V8's search stops at each quote of the
  // text for a pattern starting with one (a license of ~500 characters: 0.52 µs against 0.17).
  if (joined.startsWith('{"') && !joined.includes('identifier"') && !joined.includes('\\u')) {
    return parseJson<License>(`{"identifier":${JSON.stringify(identifier)},${joined.slice(1)}`);
  }
  const stored = parseJson<Partial<License>>(joined);
  if (Object.hasOwn(stored, 'identifier')) return stored as License;
  return { identifier, ...stored } as License;
}
