/**
 * mulberry32: a tiny 32-bit generator giving the same sequence for a seed on every machine and
 * Node version. For spreading faults, drawing demo rows and making test inputs again from a seed;
 * never for anything secret.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
