/**
 * The message of a code a lookup does not hold (LB_MAP_LOOKUP): the table's codes, and, when a
 * listed code differs from it only in full-width characters or case (`０１` for `01`, typed in
 * Chinese input mode; `y` for `Y`), the transforms that find it. On a screen the two look alike.
 */
import type { Dictionary } from './dictionaries.js';
import { toHalfWidth } from './step.js';

const SHOWN_CODES = 12;

/**
 * What the rule's transforms lack for `code` to be the listed `listed`; empty when unlike. `case`:
 * only the case differs and the listed code is in mixed case (`mL`), which neither `upper` nor
 * `lower` gives.
 */
function missingSteps(code: string, listed: string): string[] {
  const half = toHalfWidth(code).trim();
  const target = toHalfWidth(listed).trim();
  if (half.toUpperCase() !== target.toUpperCase()) return [];
  const steps: string[] = [];
  if (half !== code.trim()) steps.push('halfWidth');
  if (half !== target) {
    if (target === target.toUpperCase()) steps.push('upper');
    else if (target === target.toLowerCase()) steps.push('lower');
    else steps.push('case');
  }
  return steps;
}

export function lookupMissMessage(code: string, table: Dictionary): string {
  const codes = [...table.keys()];
  const shown =
    codes.length > SHOWN_CODES
      ? `${codes.slice(0, SHOWN_CODES).join(', ')}, … (${codes.length} codes)`
      : codes.join(', ');
  const message = `code is not in the lookup (${shown})`;
  for (const listed of codes) {
    const steps = missingSteps(code, listed);
    if (steps.length === 0) continue;
    const what = steps.map((s) => (s === 'halfWidth' ? 'full-width characters' : 'case')).join(' and ');
    if (steps.includes('case')) {
      // No transform gives a mixed-case spelling: the table must hold the source's.
      const add = steps.includes('halfWidth') ? 'add halfWidth to the transforms and ' : '';
      return `${message}; a listed code differs from it only in ${what}, and is written \`${listed}\`, in mixed case, which neither upper nor lower gives: ${add}list the code as the source writes it`;
    }
    return `${message}; a listed code differs from it only in ${what}: add ${steps.join(' and ')} to the transforms`;
  }
  return message;
}
