/**
 * A field's value as a failing mapping-test case names it (`licbridge test`): personal data masked
 * as `preview` masks it (catalog/personal.ts), since the output goes to terminals, CI logs and
 * their artifacts. A natural person's name and ID number on a personal path, or fed by a column
 * the mapping lists as `personal`, are masked; a legal person's name and credit code are public
 * and shown; an ID, mobile, passport or travel permit number standing in any other text is masked
 * where it stands, as a quarantine reason's value masks it (showValue).
 */
import { isPersonalPath, isPersonalPathFor, maskNumberShapes, maskPersonal } from '../catalog/personal.js';
import { fedByPersonalColumn } from './personal-columns.js';
import type { CompiledMapping } from './types.js';

/** The holder of a mapped row, as its output gives it. */
export interface ShownHolder {
  idType: unknown;
  id: unknown;
}

/** Whether the value at `path` is personal: by its path and holder, or by the column feeding it. */
function personalAt(path: string, holder: ShownHolder, mapping: CompiledMapping): boolean {
  if (isPersonalPathFor(path, holder.idType, holder.id)) return true;
  // The holder's name and ID follow the holder's id type, as in preview: a legal person's are
  // public, though the column feeding them counts as personal when the mapping cannot tell.
  if (path === 'holder.name' || path === 'holder.id') return false;
  // Any rule of the field, and a list's items under their indexes (personal-columns.ts).
  return fedByPersonalColumn(mapping)(path);
}

function maskedValue(path: string, value: unknown, personal: boolean): unknown {
  if (typeof value === 'string') return personal ? maskPersonal(path, value) : maskNumberShapes(value);
  if (typeof value === 'number' || typeof value === 'bigint')
    return personal ? maskPersonal(path, String(value)) : value;
  // A list masked item by item under its own path (`surface.phones`); an object member by member.
  if (Array.isArray(value)) return value.map((v) => maskedValue(path, v, personal));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => {
        const at = `${path}.${k}`;
        return [k, maskedValue(at, v, personal || isPersonalPath(at))];
      }),
    );
  }
  return value;
}

/**
 * `${path}: expected …, got …` with both values masked where personal. When the masks hide their
 * only difference, the message says so rather than print two equal values.
 */
export function fieldMismatch(
  path: string,
  want: unknown,
  got: unknown,
  holder: ShownHolder,
  mapping: CompiledMapping,
): string {
  const at = path.replace(/\[(\d+)\]/g, '.$1');
  const personal = personalAt(at, holder, mapping);
  const show = (v: unknown): string =>
    v === undefined ? '(absent)' : JSON.stringify(maskedValue(at, v, personal));
  const wanted = show(want);
  const shown = show(got);
  const hidden = wanted === shown ? ' (they differ in characters masked here: personal data is masked)' : '';
  return `${path}: expected ${wanted}, got ${shown}${hidden}`;
}
