/**
 * Whether a number is a decimal text's value exactly. A double holds 15 to 17 significant digits:
 * 9007199254740993 reads as 9007199254740992, and a SQL Server MONEY amount of 674685308101.2956 as
 * 674685308101.2957. A number is exact when its shortest text, String(n), spells the same decimal,
 * leading `+`, leading zeros, trailing fraction zeros, an exponent and the sign of zero aside.
 */

/** Sign, significant digits and power of ten (`-0.1234e3`) of a decimal text; null if not one. */
function decimalDigits(text: string): string | null {
  const m = /^([+-]?)(?=\.?[0-9])([0-9]*)(?:\.([0-9]*))?(?:e([+-]?[0-9]+))?$/i.exec(text);
  if (!m) return null;
  const [, sign = '', int = '', frac = '', exp = '0'] = m;
  const all = int + frac;
  const lead = all.length - all.replace(/^0+/, '').length;
  // By index from the end, not `/0+$/`: the pattern is tried at every zero of a run in the
  // middle of the digits and scans each time to the run's end, time quadratic in the run (~30 s
  // for `1`, 80,000 zeros, `1`, a value read from the data).
  let end = all.length;
  while (end > lead && all.charCodeAt(end - 1) === 0x30) end--;
  if (end === lead) return '0';
  const digits = all.slice(lead, end);
  // The value is 0.digits × 10^power.
  const power = Number(exp) + int.length - lead;
  return `${sign === '-' ? '-' : ''}0.${digits}e${power}`;
}

/**
 * Whether `n` prints back as the decimal `text` (`-0012.3400` and -12.34 alike); false where `text`
 * is not a decimal or `n` is not finite. An integer past 2^53 can still print back as its text
 * while other integers read as the same number: callers needing every integer text told apart
 * check `Number.isSafeInteger` as well.
 */
export function printsAsDecimal(n: number, text: string): boolean {
  const value = decimalDigits(text);
  return value !== null && Number.isFinite(n) && decimalDigits(String(n)) === value;
}
