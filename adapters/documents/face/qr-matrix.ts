/**
 * The modules of a QR code symbol (ISO/IEC 18004 §7.7–7.10): the function patterns, where the
 * data codewords go and in what order, the eight data masks, and the format and version
 * information written once a mask is chosen.
 */

// Centres of the alignment patterns, versions 1–10 (Annex E).
const ALIGN: readonly (readonly number[])[] = [
  [],
  [6, 18],
  [6, 22],
  [6, 26],
  [6, 30],
  [6, 34],
  [6, 22, 38],
  [6, 24, 42],
  [6, 26, 46],
  [6, 28, 50],
];

/** The eight data mask patterns (§7.8.2), by mask number: true where a module is flipped. */
export const MASKS: readonly ((r: number, c: number) => boolean)[] = [
  (r, c) => (r + c) % 2 === 0,
  (r) => r % 2 === 0,
  (_r, c) => c % 3 === 0,
  (r, c) => (r + c) % 3 === 0,
  (r, c) => (Math.floor(r / 2) + Math.floor(c / 3)) % 2 === 0,
  (r, c) => ((r * c) % 2) + ((r * c) % 3) === 0,
  (r, c) => (((r * c) % 2) + ((r * c) % 3)) % 2 === 0,
  (r, c) => (((r + c) % 2) + ((r * c) % 3)) % 2 === 0,
];

/** BCH remainder of `value` (already shifted) by `poly` of degree `bits`. */
function bch(value: number, poly: number, bits: number): number {
  let v = value;
  for (let i = 31 - Math.clz32(v); i >= bits; i = 31 - Math.clz32(v)) v ^= poly << (i - bits);
  return v;
}

/** A symbol's modules, row by row. */
export interface Grid {
  n: number;
  dark: Uint8Array;
  /** Function modules: not data, never masked. */
  fixed: Uint8Array;
}

/** The finder, timing and alignment patterns of a `version` symbol, format and version areas reserved. */
export function functionPatterns(version: number): Grid {
  const n = version * 4 + 17;
  // Rounded up to whole 32-bit words: a mask is applied four modules at a time.
  const size = (n * n + 3) & ~3;
  const g: Grid = { n, dark: new Uint8Array(size), fixed: new Uint8Array(size) };
  const set = (r: number, c: number, d: boolean) => {
    if (r < 0 || c < 0 || r >= n || c >= n) return;
    g.dark[r * n + c] = d ? 1 : 0;
    g.fixed[r * n + c] = 1;
  };
  for (const [r0, c0] of [
    [0, 0],
    [0, n - 7],
    [n - 7, 0],
  ] as const) {
    for (let r = -1; r <= 7; r++) {
      for (let c = -1; c <= 7; c++) {
        const inRing =
          r >= 0 &&
          r <= 6 &&
          c >= 0 &&
          c <= 6 &&
          (r === 0 || r === 6 || c === 0 || c === 6 || (r >= 2 && r <= 4 && c >= 2 && c <= 4));
        set(r0 + r, c0 + c, inRing);
      }
    }
  }
  for (let i = 8; i < n - 8; i++) {
    set(6, i, i % 2 === 0);
    set(i, 6, i % 2 === 0);
  }
  const centres = ALIGN[version - 1] as readonly number[];
  for (const r of centres) {
    for (const c of centres) {
      const last = centres[centres.length - 1];
      // The three corners a finder occupies; elsewhere an alignment pattern may cross the timing lines.
      if ((r === 6 && c === 6) || (r === 6 && c === last) || (r === last && c === 6)) continue;
      for (let dr = -2; dr <= 2; dr++)
        for (let dc = -2; dc <= 2; dc++) set(r + dr, c + dc, Math.max(Math.abs(dr), Math.abs(dc)) !== 1);
    }
  }
  // Format and version areas are reserved now, written once the mask is chosen.
  for (let i = 0; i < 9; i++) {
    if (!g.fixed[8 * n + i]) set(8, i, false);
    if (!g.fixed[i * n + 8]) set(i, 8, false);
  }
  for (let i = 0; i < 8; i++) {
    set(8, n - 1 - i, false);
    set(n - 1 - i, 8, false);
  }
  set(n - 8, 8, true); // the dark module
  if (version >= 7)
    for (let i = 0; i < 18; i++) {
      set(Math.floor(i / 3), n - 11 + (i % 3), false);
      set(n - 11 + (i % 3), Math.floor(i / 3), false);
    }
  return g;
}

/** The data modules in placement order (ISO/IEC 18004 §7.7.3): up and down two columns at a time. */
export function placementOrder(g: Grid): Int32Array {
  const { n } = g;
  const order: number[] = [];
  for (let right = n - 1; right >= 1; right -= 2) {
    if (right === 6) right = 5;
    const upward = ((right + 1) & 2) === 0;
    for (let k = 0; k < n; k++) {
      const r = upward ? n - 1 - k : k;
      for (let j = 0; j < 2; j++) if (!g.fixed[r * n + right - j]) order.push(r * n + right - j);
    }
  }
  return Int32Array.from(order);
}

/** The format information for level M and `mask` (§7.9), and from version 7 the version information (§7.10). */
export function writeFormat(dark: Uint8Array, n: number, mask: number, version: number): void {
  // Level M is 00.
  const data = (0b00 << 3) | mask;
  const bits = ((data << 10) | bch(data << 10, 0x537, 10)) ^ 0x5412;
  const bitAt = (i: number) => ((bits >>> i) & 1) === 1;
  for (let i = 0; i <= 5; i++) dark[i * n + 8] = bitAt(i) ? 1 : 0;
  dark[7 * n + 8] = bitAt(6) ? 1 : 0;
  dark[8 * n + 8] = bitAt(7) ? 1 : 0;
  dark[8 * n + 7] = bitAt(8) ? 1 : 0;
  for (let i = 9; i < 15; i++) dark[8 * n + 14 - i] = bitAt(i) ? 1 : 0;
  for (let i = 0; i < 8; i++) dark[8 * n + n - 1 - i] = bitAt(i) ? 1 : 0;
  for (let i = 8; i < 15; i++) dark[(n - 15 + i) * n + 8] = bitAt(i) ? 1 : 0;
  dark[(n - 8) * n + 8] = 1;
  if (version >= 7) {
    const v = (version << 12) | bch(version << 12, 0x1f25, 12);
    for (let i = 0; i < 18; i++) {
      const on = ((v >>> i) & 1) === 1 ? 1 : 0;
      dark[Math.floor(i / 3) * n + n - 11 + (i % 3)] = on;
      dark[(n - 11 + (i % 3)) * n + Math.floor(i / 3)] = on;
    }
  }
}
