/** The value at a path of object keys and array indexes in loaded config data; undefined where the path leaves it. */
export function valueAt(data: unknown, segments: readonly (string | number)[]): unknown {
  let value = data;
  for (const s of segments) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[s];
  }
  return value;
}
