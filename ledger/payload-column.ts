/**
 * How a version's license is stored in `license_versions.payload`. The license's `identifier` is
 * the row's own `identifier` column: the text leaves it out (~85 bytes a version) when it is the
 * license's first field, and reading puts it back first, so a version reads back as it was
 * written, field order included. Text that holds the identifier (rows written before, or a license
 * whose first field is another) reads as it is.
 */
import type { License } from '../catalog/license.js';
import { parseJson } from './db.js';

/** The column text of `payload` for a row whose `identifier` column is `license.identifier`. */
export function payloadColumn(license: License): string {
  const first = Object.keys(license)[0];
  if (first !== 'identifier') return JSON.stringify(license);
  const { identifier: _inColumn, ...rest } = license;
  return JSON.stringify(rest);
}

/** The license of a stored row: its `payload` text with the row's `identifier` put back first. */
export function readPayload(text: string, identifier: string): License {
  const stored = parseJson<Partial<License>>(text);
  if (Object.hasOwn(stored, 'identifier')) return stored as License;
  return { identifier, ...stored } as License;
}
