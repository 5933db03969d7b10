/**
 * The result `code` of a platform's JSON answer, read as a number whichever way it is written.
 */

/**
 * The code as a number: a JSON number, or a string of digits (`"0"`, `"503"`), which platforms and
 * gateways with string-typed result fields send. Taken only as a number, a `"0"` read as no answer
 * left a reminder the gateway took pending, sent again every tick, and a `"503"` read as none
 * passed a busy lookup or listing page as a good one. Any other text is no code: undefined.
 */
export function answerCode(code: unknown): number | undefined {
  if (typeof code === 'number') return code;
  return typeof code === 'string' && /^-?\d{1,9}$/.test(code) ? Number(code) : undefined;
}
