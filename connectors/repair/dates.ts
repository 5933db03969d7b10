/**
 * Zero and placeholder dates. Legacy systems write "no date" as `00000000`, `0000-00-00`,
 * `0000-00-00 00:00:00` (MySQL's zero date) or `00000000000000` (yyyyMMddHHmmss), and drivers
 * without `dateStrings` hand MySQL's zero date over as an Invalid Date. None of them is a date;
 * all of them mean "none".
 */

// Digits all zero, with the separators legacy exports use; an optional all-zero time part.
const ZERO_DATE = /^0{4}([-/.]?)0{2}\1(?:0{2})([ T]0{2}(:0{2}(:0{2}(\.0+)?)?)?)?$/;
// A compact date with a time written without separators too (yyyyMMddHH, yyyyMMddHHmm,
// yyyyMMddHHmmss, yyyyMMddHHmmssSSS, ISO 8601's basic `00000000T000000`): `00000000000000` was
// kept as a value where `0000-00-00 00:00:00` read as none.
const COMPACT_ZERO_DATE = /^0{8}[ T]?0{2}(?:0{2}(?:0{2}(?:\.?0+)?)?)?$/;

/** Whether a value is a zero or placeholder date that should read as null. */
export function isZeroDate(value: unknown): boolean {
  if (value instanceof Date) return Number.isNaN(value.getTime());
  if (typeof value !== 'string') return false;
  const text = value.trim();
  return text.length >= 8 && (ZERO_DATE.test(text) || COMPACT_ZERO_DATE.test(text));
}
