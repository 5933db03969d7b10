/**
 * The mask penalty of ISO/IEC 18004 §7.8.3, scored over a symbol's rows and columns packed into
 * 32-bit words, so that a rule looks at 32 modules in one operation: every face scores the eight
 * masks of its QR code (bench/license-files.ts).
 */

/** Positions 0 … m − 1 of a packed line: the mask of its first word, and of its second. */
const lowBits = (m: number): number => (m >= 32 ? -1 : (1 << m) - 1);
const highBits = (m: number): number => (m <= 32 ? 0 : (1 << (m - 32)) - 1);

/** The first word of a packed line shifted towards column 0 by k (1 … 31). */
const down = (lo: number, hi: number, k: number): number => (lo >>> k) | (hi << (32 - k));
/** The second word of a packed line shifted away from column 0 by k (1 … 31). */
const upHi = (lo: number, hi: number, k: number): number => (hi << k) | (lo >>> (32 - k));

/**
 * Rules 1 and 3 of one line packed in two words (module c at bit c of `lo`, c − 32 of `hi`),
 * 32 modules at a time:
 *
 * - rule 1: a run of L ≥ 5 modules of one colour scores L − 2: it holds L − 4 windows of five
 *   equal modules, plus 2 for the window that starts it;
 * - rule 3: dark, light, dark ×3, light, dark (1:1:3:1:1) with four light modules inside the
 *   symbol before or after it scores 40 (once when both).
 */
function linePenalty(lo: number, hi: number, n: number): number {
  // Where module c equals module c + 1 (c ≤ n − 2).
  const eLo = ~(lo ^ down(lo, hi, 1)) & lowBits(n - 1);
  const eHi = ~(hi ^ (hi >>> 1)) & highBits(n - 1);
  // Where modules c … c + 4 are all equal, and where such a stretch starts.
  const fLo = eLo & down(eLo, eHi, 1) & down(eLo, eHi, 2) & down(eLo, eHi, 3);
  const fHi = eHi & (eHi >>> 1) & (eHi >>> 2) & (eHi >>> 3);
  const sLo = fLo & ~(fLo << 1);
  const sHi = fHi & ~upHi(fLo, fHi, 1);
  let score = popcount(fLo) + popcount(fHi) + 2 * (popcount(sLo) + popcount(sHi));
  // 1011101 starting at c (modules past the symbol are 0, so it cannot run past it).
  const coreLo =
    lo &
    ~down(lo, hi, 1) &
    down(lo, hi, 2) &
    down(lo, hi, 3) &
    down(lo, hi, 4) &
    ~down(lo, hi, 5) &
    down(lo, hi, 6);
  const coreHi = hi & ~(hi >>> 1) & (hi >>> 2) & (hi >>> 3) & (hi >>> 4) & ~(hi >>> 5) & (hi >>> 6);
  if ((coreLo | coreHi) === 0) return score;
  // Four light modules after it (c + 10 ≤ n − 1) or before it (c ≥ 4).
  const afterLo = ~(down(lo, hi, 7) | down(lo, hi, 8) | down(lo, hi, 9) | down(lo, hi, 10)) & lowBits(n - 10);
  const afterHi = ~((hi >>> 7) | (hi >>> 8) | (hi >>> 9) | (hi >>> 10)) & highBits(n - 10);
  const beforeLo = ~((lo << 1) | (lo << 2) | (lo << 3) | (lo << 4)) & ~0b1111;
  const beforeHi = ~(upHi(lo, hi, 1) | upHi(lo, hi, 2) | upHi(lo, hi, 3) | upHi(lo, hi, 4));
  score += 40 * (popcount(coreLo & (afterLo | beforeLo)) + popcount(coreHi & (afterHi | beforeHi)));
  return score;
}

/** Set bits of each 16-bit value: a word's count is two reads, not a dozen shifts and masks. */
const BITS16 = new Uint8Array(65536);
for (let v = 1; v < 65536; v++) BITS16[v] = (BITS16[v >>> 1] as number) + (v & 1);

function popcount(v: number): number {
  return (BITS16[v & 0xffff] as number) + (BITS16[v >>> 16] as number);
}

/** Rules 2 and 4 of the ISO/IEC 18004 §7.8.3 penalty: 2×2 blocks of one colour, the dark share. */
export function blockPenalty(rows: Int32Array, n: number): number {
  let darkCount = 0;
  for (let i = 0; i < 2 * n; i++) darkCount += popcount(rows[i] as number);
  let score = Math.floor(Math.abs((darkCount * 100) / (n * n) - 50) / 5) * 10;
  // Blocks start at columns 0 … n − 2.
  const loMask = lowBits(n - 1);
  const hiMask = highBits(n - 1);
  for (let r = 0; r + 1 < n; r++) {
    const aLo = rows[2 * r] as number;
    const aHi = rows[2 * r + 1] as number;
    // Columns where the two rows agree, and the same one column on.
    const vLo = ~(aLo ^ (rows[2 * r + 2] as number));
    const vHi = ~(aHi ^ (rows[2 * r + 3] as number));
    // Columns where the upper row agrees with its right neighbour.
    const hLo = ~(aLo ^ down(aLo, aHi, 1));
    const hHi = ~(aHi ^ (aHi >>> 1));
    score +=
      3 * (popcount(vLo & down(vLo, vHi, 1) & hLo & loMask) + popcount(vHi & (vHi >>> 1) & hHi & hiMask));
  }
  return score;
}

/**
 * Rules 1 and 3 over every row and column — or, once the sum reaches `limit`, that partial sum:
 * every rule only adds, so a mask that cannot beat the best so far needs no more lines scored.
 */
export function linesPenalty(p: Packed, n: number, limit: number): number {
  let score = 0;
  for (let i = 0; i < 2 * n && score < limit; i += 2)
    score +=
      linePenalty(p.rows[i] as number, p.rows[i + 1] as number, n) +
      linePenalty(p.cols[i] as number, p.cols[i + 1] as number, n);
  return score;
}

/**
 * A symbol's rows and columns packed two 32-bit words a line (module c of a line at bit c of the
 * first word, c − 32 of the second: a symbol is at most 57 modules wide).
 */
export interface Packed {
  rows: Int32Array;
  cols: Int32Array;
}

/** `dark` (row by row, `n` modules a line) packed as rows and as columns. */
export function pack(dark: Uint8Array, n: number): Packed {
  const rows = new Int32Array(2 * n);
  const cols = new Int32Array(2 * n);
  // Every module's bit or'ed in, light ones as 0, without a branch: dark and light modules are
  // as good as random, and a branch on them is mispredicted half the time.
  for (let r = 0, o = 0; r < n; r++) {
    for (let c = 0; c < n; c++, o++) {
      const bit = (dark[o] as number) & 1;
      rows[2 * r + (c >>> 5)] = (rows[2 * r + (c >>> 5)] as number) | (bit << (c & 31));
      cols[2 * c + (r >>> 5)] = (cols[2 * c + (r >>> 5)] as number) | (bit << (r & 31));
    }
  }
  return { rows, cols };
}
