/**
 * Whether a year, month and day name a real date. Here in core so that both the catalog's holder
 * checks (catalog/holder-id.ts) and the masking of ID numbers in text (./personal-shapes.ts) use
 * one rule: a run of digits whose birth date is no date is no ID number.
 */

/** True for a real calendar date (proleptic Gregorian). */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] as number;
  return day <= days;
}
