/**
 * Masking of personal data for messages, reports and logs. An ID number keeps its first four and
 * last four characters (`1101**********002X`); a name keeps its first character.
 */
export function maskId(value: string): string {
  if (value.length <= 8) return '*'.repeat(value.length);
  return `${value.slice(0, 4)}${'*'.repeat(value.length - 8)}${value.slice(-4)}`;
}

export function maskName(value: string): string {
  const chars = Array.from(value);
  if (chars.length === 0) return '';
  return `${chars[0]}${'*'.repeat(Math.max(1, chars.length - 1))}`;
}
