/**
 * A mapping declaring its holders organisations shows a holder's name in clear in a row's reasons,
 * as a legal person's public registration data; a row whose holder id has a resident ID number's
 * shape is a person's whatever the declared type (catalog/personal.ts), so a reason about its
 * holder.name is masked as a person's name, as the holder.id reason beside it is.
 */
import { isPersonHolderId, showValue } from '../catalog/personal.js';
import type { MapReason } from './types.js';

/**
 * Masks the value of `reasons`' holder.name reasons when the row's holder id (as mapped, or as
 * read from the columns feeding holder.id when its rule failed) is a person's: of a resident ID
 * number's shape, or holding one among other words (isPersonHolderId).
 */
export function maskPersonHolderNames(
  reasons: MapReason[],
  mappedId: unknown,
  values: Readonly<Record<string, unknown>>,
  idColumns: readonly string[],
): void {
  const named = reasons.filter((r) => r.path === 'holder.name' && r.value !== undefined);
  if (named.length === 0) return;
  if (!isPersonHolderId(mappedId) && !idColumns.some((c) => isPersonHolderId(values[c]))) return;
  for (const r of named) {
    const shown = showValue('holder.name', r.value, true);
    if (shown === undefined) delete r.value;
    else r.value = shown;
  }
}
