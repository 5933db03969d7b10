/**
 * Whether a catalog schema may be checked with string lengths counted in UTF-16 code units, the
 * fast validator of valid rows (catalog.ts), without accepting anything JSON Schema refuses.
 */
// Keywords under which a stricter subschema can make the whole schema looser (negation, exactly-one,
// conditionals, counted contains, evaluation tracking) or whose target cannot be seen here (refs).
const NON_MONOTONE = new Set([
  'not',
  'oneOf',
  'if',
  'then',
  'else',
  'contains',
  'minContains',
  'maxContains',
  'dependentSchemas',
  'unevaluatedProperties',
  'unevaluatedItems',
  '$ref',
  '$dynamicRef',
  '$recursiveRef',
]);

/**
 * True when a validator that counts string length in UTF-16 code units (ajv `unicode: false`,
 * no per-string code point count: that count was a sixth of validation time) can only be
 * STRICTER than the JSON Schema rule of counting code points. A code-unit length is never below
 * the code point count, so `maxLength` only gets stricter, and `minLength` of 0 or 1 stays exact;
 * a larger `minLength`, or any keyword that can turn a stricter part into a looser whole, rules
 * it out. Conservative: a property merely named like such a keyword rules it out too.
 */
export function codeUnitLengthIsSafe(schema: unknown): boolean {
  if (Array.isArray(schema)) return schema.every(codeUnitLengthIsSafe);
  if (schema === null || typeof schema !== 'object') return true;
  for (const [key, value] of Object.entries(schema)) {
    if (NON_MONOTONE.has(key)) return false;
    if (key === 'minLength' && !(typeof value === 'number' && value <= 1)) return false;
    if (!codeUnitLengthIsSafe(value)) return false;
  }
  return true;
}
