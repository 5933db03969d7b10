/**
 * Legacy value repair, declared per source and column in the config and compiled once per source:
 * charset repair, zero dates to null, and a bound on value size. Applied to every normalised row;
 * a value that cannot be repaired becomes null and the row carries a problem, so the pipelines
 * quarantine that row with the column and the reason while the run goes on.
 */
import { sourceSettings } from '../../config/schema/sources.js';
import { withSchemaDefaults } from '../../config/schema-defaults.js';
import type { RowProblem, SourceValue } from '../source.js';
import { type RepairEncoding, repairText } from './charset.js';
import { isZeroDate } from './dates.js';

/** Problem codes a repaired row may carry. */
export const RepairCodes = {
  CHARSET: 'LB_SOURCE_CHARSET',
  TOO_LARGE: 'LB_SOURCE_TOO_LARGE',
  VALUE: 'LB_SOURCE_VALUE',
} as const;

export interface RepairOptions {
  /** Columns holding latin1-stored legacy bytes, and their real encoding. @defaultValue none */
  charset?: { repair: readonly string[]; from: string };
  /** Columns whose zero dates become null. @defaultValue the schema's `zeroDates` (`none`) */
  zeroDates?: 'all' | 'none' | readonly string[];
  /** Largest string (UTF-8 bytes) or binary value kept. @defaultValue {@link DEFAULT_MAX_VALUE_BYTES} */
  maxValueBytes?: number;
}

/** The schema's `maxValueBytes` default (config/schema/sources.ts), the ceiling when none is given. */
export const DEFAULT_MAX_VALUE_BYTES = settingsOf({}).maxValueBytes;

/** The options with the schema's defaults for what they leave out (a loaded source config has them all). */
function settingsOf(
  options: RepairOptions,
): Required<Pick<RepairOptions, 'zeroDates' | 'maxValueBytes'>> & RepairOptions {
  return withSchemaDefaults(sourceSettings, options) as Required<
    Pick<RepairOptions, 'zeroDates' | 'maxValueBytes'>
  > &
    RepairOptions;
}

/** Mutates `values` in place; returns the problems found (empty when the row is clean). */
export type RowRepair = (values: Record<string, SourceValue>) => RowProblem[];

const upperSet = (names: readonly string[]): Set<string> => new Set(names.map((n) => n.toUpperCase()));

/** Compiles the options once; the returned function runs per row on the hot path. */
export function compileRepair(given: RepairOptions): RowRepair {
  const options = settingsOf(given);
  const charsetColumns = upperSet(options.charset?.repair ?? []);
  // `from` is set whenever `charset` is (its schema default); without `charset` nothing is decoded.
  const encoding = options.charset?.from as RepairEncoding;
  const zero = options.zeroDates;
  const zeroColumns = typeof zero === 'string' ? null : upperSet(zero);
  const zeroAll = zero === 'all';
  const maxBytes = options.maxValueBytes;
  // Per-column decisions cached by name: rows of one stream repeat the same columns.
  const plan = new Map<string, { charset: boolean; zero: boolean }>();
  const planFor = (column: string) => {
    let p = plan.get(column);
    if (!p) {
      const upper = column.toUpperCase();
      p = { charset: charsetColumns.has(upper), zero: zeroAll || (zeroColumns?.has(upper) ?? false) };
      plan.set(column, p);
    }
    return p;
  };

  return (values) => {
    const problems: RowProblem[] = [];
    for (const column in values) {
      let value = values[column] ?? null;
      if (value === null) continue;
      if (typeof value === 'string' || value instanceof Uint8Array) {
        // Length first: a string's UTF-8 size is at most 3 bytes per UTF-16 unit, so the exact
        // count is only needed for values near the bound.
        const size =
          typeof value === 'string'
            ? value.length * 3 <= maxBytes
              ? 0
              : Buffer.byteLength(value)
            : value.byteLength;
        if (size > maxBytes) {
          values[column] = null;
          problems.push({
            column,
            code: RepairCodes.TOO_LARGE,
            message: `value too large: column ${column}: ${size} bytes, over maxValueBytes ${maxBytes}`,
          });
          continue;
        }
      }
      const p = planFor(column);
      if (p.charset && (typeof value === 'string' || value instanceof Uint8Array)) {
        const outcome = repairText(value, encoding);
        if (!outcome.ok) {
          values[column] = null;
          problems.push({
            column,
            code: RepairCodes.CHARSET,
            message: `charset repair failed: column ${column}: ${outcome.message}`,
          });
          continue;
        }
        value = outcome.value;
        values[column] = value;
      }
      if (p.zero && isZeroDate(value)) values[column] = null;
    }
    return problems;
  };
}
