/**
 * Draws from a seeded linear congruential generator, so a test drawing many inputs draws the same
 * ones on every run. Plain loops, not arrays made and joined: most draws of such tests are thrown
 * away, and the arrays were most of their own time.
 */
export function seededDraws(seed: number) {
  let state = seed;
  /** A whole number in [0, n). */
  const rnd = (n: number): number => {
    state = (Math.imul(state, 1103515245) + 12345) & 0x7fffffff;
    return Math.floor((state / 0x80000000) * n);
  };
  /** `n` characters of `alphabet`, each drawn alike. */
  const chars = (n: number, alphabet: string): string => {
    let out = '';
    for (let i = 0; i < n; i++) out += alphabet[rnd(alphabet.length)];
    return out;
  };
  const digits = (n: number): string => {
    let out = '';
    for (let i = 0; i < n; i++) out += rnd(10);
    return out;
  };
  return { rnd, chars, digits };
}
