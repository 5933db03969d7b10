/**
 * A QR code encoder (ISO/IEC 18004) for what a license face carries: byte mode, error correction
 * level M, versions 1–10 (up to 213 bytes: an identifier or a verification link). Written here
 * because the face's QR code was most of a license file's cost: a general encoder re-encodes the
 * symbol for each of the eight masks, where the masks only need scoring (bench/license-files.ts).
 * Its symbols are checked module by module against qrcode-generator's (test/documents).
 */

// Level M, versions 1–10: [EC codewords per block, [blocks, data codewords per block] …].
const BLOCKS: readonly (readonly [number, ...(readonly [number, number])[]])[] = [
  [10, [1, 16]],
  [16, [1, 28]],
  [26, [1, 44]],
  [18, [2, 32]],
  [24, [2, 43]],
  [16, [4, 27]],
  [18, [4, 31]],
  [22, [2, 38], [2, 39]],
  [22, [3, 36], [2, 37]],
  [26, [4, 43], [1, 44]],
];
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

// GF(256) with the QR polynomial x⁸ + x⁴ + x³ + x² + 1.
const EXP = new Uint8Array(512);
const LOG = new Uint8Array(256);
for (let i = 0, x = 1; i < 255; i++) {
  EXP[i] = x;
  LOG[x] = i;
  x <<= 1;
  if (x & 0x100) x ^= 0x11d;
}
for (let i = 255; i < 512; i++) EXP[i] = EXP[i - 255] as number;
const mul = (a: number, b: number): number =>
  a === 0 || b === 0 ? 0 : (EXP[(LOG[a] as number) + (LOG[b] as number)] as number);

function generator(degree: number): number[] {
  let g = [1];
  for (let i = 0; i < degree; i++) {
    const next = new Array<number>(g.length + 1).fill(0);
    g.forEach((c, j) => {
      next[j] = (next[j] as number) ^ c;
      next[j + 1] = (next[j + 1] as number) ^ mul(c, EXP[i] as number);
    });
    g = next;
  }
  return g;
}

// A generator polynomial per EC codeword count, as the logs of its coefficients after the leading
// 1 (every coefficient of these generators is non-zero): the same for every symbol, made once.
const generators = new Map<number, Uint8Array>();

function reedSolomon(data: Uint8Array, degree: number): Uint8Array {
  let g = generators.get(degree);
  if (!g) {
    g = Uint8Array.from(generator(degree).slice(1), (c) => LOG[c] as number);
    generators.set(degree, g);
  }
  const rem = new Uint8Array(degree);
  for (let k = 0; k < data.length; k++) {
    const factor = (data[k] as number) ^ (rem[0] as number);
    // Shift the remainder by one codeword, adding factor × generator on the way.
    if (factor === 0) {
      rem.copyWithin(0, 1);
      rem[degree - 1] = 0;
      continue;
    }
    const lf = LOG[factor] as number;
    for (let i = 0; i < degree - 1; i++)
      rem[i] = (rem[i + 1] as number) ^ (EXP[(g[i] as number) + lf] as number);
    rem[degree - 1] = EXP[(g[degree - 1] as number) + lf] as number;
  }
  return rem;
}

/** BCH remainder of `value` (already shifted) by `poly` of degree `bits`. */
function bch(value: number, poly: number, bits: number): number {
  let v = value;
  for (let i = 31 - Math.clz32(v); i >= bits; i = 31 - Math.clz32(v)) v ^= poly << (i - bits);
  return v;
}

const MASKS: readonly ((r: number, c: number) => boolean)[] = [
  (r, c) => (r + c) % 2 === 0,
  (r) => r % 2 === 0,
  (_r, c) => c % 3 === 0,
  (r, c) => (r + c) % 3 === 0,
  (r, c) => (Math.floor(r / 2) + Math.floor(c / 3)) % 2 === 0,
  (r, c) => ((r * c) % 2) + ((r * c) % 3) === 0,
  (r, c) => (((r * c) % 2) + ((r * c) % 3)) % 2 === 0,
  (r, c) => (((r + c) % 2) + ((r * c) % 3)) % 2 === 0,
];

function codewords(bytes: Uint8Array, version: number): Uint8Array {
  const [ec, ...groups] = BLOCKS[version - 1] as readonly [number, ...(readonly [number, number])[]];
  const capacity = groups.reduce((n, [b, d]) => n + b * d, 0);
  // Mode (0100) and count (8 or 16 bits) are an odd number of nibbles: the bytes follow shifted
  // half a byte. The terminator and the padding to a byte are zeros already.
  const data = new Uint8Array(capacity);
  const n = bytes.length;
  const head =
    version >= 10
      ? [0b0100, (n >>> 12) & 15, (n >>> 8) & 15, (n >>> 4) & 15, n & 15]
      : [0b0100, (n >>> 4) & 15, n & 15];
  let at = 0;
  for (let i = 0; i + 1 < head.length; i += 2)
    data[at++] = ((head[i] as number) << 4) | (head[i + 1] as number);
  // The high half of data[at] is the last nibble of the head, then each byte straddles two.
  let carry = (head[head.length - 1] as number) << 4;
  for (let k = 0; k < n; k++) {
    const b = bytes[k] as number;
    data[at++] = carry | (b >>> 4);
    carry = (b & 15) << 4;
  }
  // Fits: pickVersion leaves room for the last half byte (the head is odd, the total too).
  data[at++] = carry;
  let used = at;
  for (let pad = 0xec; used < capacity; pad ^= 0xec ^ 0x11) data[used++] = pad;
  const blocks: { data: Uint8Array; ec: Uint8Array }[] = [];
  let from = 0;
  for (const [count, size] of groups) {
    for (let b = 0; b < count; b++) {
      const d = data.subarray(from, from + size);
      from += size;
      blocks.push({ data: d, ec: reedSolomon(d, ec) });
    }
  }
  const out = new Uint8Array(capacity + ec * blocks.length);
  let o = 0;
  const longest = Math.max(...blocks.map((b) => b.data.length));
  for (let i = 0; i < longest; i++)
    for (const b of blocks) if (i < b.data.length) out[o++] = b.data[i] as number;
  for (let i = 0; i < ec; i++) for (const b of blocks) out[o++] = b.ec[i] as number;
  return out;
}

interface Grid {
  n: number;
  dark: Uint8Array;
  /** Function modules: not data, never masked. */
  fixed: Uint8Array;
}

function functionPatterns(version: number): Grid {
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
function placementOrder(g: Grid): Int32Array {
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

/** Codeword bits into the data modules, in placement order; the remainder bits light. */
function placeData(dark: Uint8Array, order: Int32Array, words: Uint8Array): void {
  const total = Math.min(order.length, words.length * 8);
  for (let bit = 0; bit < total; bit++)
    dark[order[bit] as number] = ((words[bit >>> 3] as number) >>> (7 - (bit & 7))) & 1;
  for (let bit = total; bit < order.length; bit++) dark[order[bit] as number] = 0;
}

function writeFormat(dark: Uint8Array, n: number, mask: number, version: number): void {
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

function popcount(v: number): number {
  let x = v - ((v >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/** Rules 2 and 4 of the ISO/IEC 18004 §7.8.3 penalty: 2×2 blocks of one colour, the dark share. */
function blockPenalty(rows: Int32Array, n: number): number {
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
function linesPenalty(p: Packed, n: number, limit: number): number {
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
interface Packed {
  rows: Int32Array;
  cols: Int32Array;
}

function pack(dark: Uint8Array, n: number): Packed {
  const rows = new Int32Array(2 * n);
  const cols = new Int32Array(2 * n);
  for (let r = 0, o = 0; r < n; r++) {
    for (let c = 0; c < n; c++, o++) {
      if (!dark[o]) continue;
      rows[2 * r + (c >>> 5)] = (rows[2 * r + (c >>> 5)] as number) | (1 << (c & 31));
      cols[2 * c + (r >>> 5)] = (cols[2 * c + (r >>> 5)] as number) | (1 << (r & 31));
    }
  }
  return { rows, cols };
}

interface Symbol {
  dark: Uint8Array;
  n: number;
}

// Per version, the function patterns and each mask's flips over the data modules: the same for
// every symbol of that version, so built once (the face's QR code is part of every license file).
interface VersionParts {
  grid: Grid;
  /**
   * Per mask, what turns the unmasked symbol into the masked one: the mask's flips over the data
   * modules, and the format (and version) information it writes over the reserved modules.
   */
  xors: Uint8Array[];
  packedXors: Packed[];
  order: Int32Array;
}

const byVersion = new Map<number, VersionParts>();

function versionParts(version: number): VersionParts {
  let parts = byVersion.get(version);
  if (!parts) {
    const grid = functionPatterns(version);
    const { n } = grid;
    const xors = MASKS.map((m, mask) => {
      const x = new Uint8Array(grid.dark.length);
      for (let r = 0; r < n; r++)
        for (let c = 0; c < n; c++) if (!grid.fixed[r * n + c] && m(r, c)) x[r * n + c] = 1;
      // Function modules: data placement leaves them as functionPatterns made them.
      const written = grid.dark.slice();
      writeFormat(written, n, mask, version);
      for (let o = 0; o < x.length; o++)
        if (grid.fixed[o]) x[o] = (written[o] as number) ^ (grid.dark[o] as number);
      return x;
    });
    parts = { grid, xors, packedXors: xors.map((x) => pack(x, n)), order: placementOrder(grid) };
    byVersion.set(version, parts);
  }
  return parts;
}

/** Function patterns and data placed, unmasked: what every mask starts from. */
interface Unmasked {
  g: Grid;
  version: number;
  packed: Packed;
}

function unmasked(bytes: Uint8Array): Unmasked {
  const version = pickVersion(bytes.length);
  const { grid, order } = versionParts(version);
  const g: Grid = { n: grid.n, dark: grid.dark.slice(), fixed: grid.fixed };
  placeData(g.dark, order, codewords(bytes, version));
  return { g, version, packed: pack(g.dark, g.n) };
}

/** The packed lines of the symbol with `mask`: all the scoring needs. */
function maskedLines({ version, packed: base }: Unmasked, mask: number): Packed {
  const x = versionParts(version).packedXors[mask] as Packed;
  const rows = base.rows.slice();
  const cols = base.cols.slice();
  for (let i = 0; i < rows.length; i++) {
    rows[i] = (rows[i] as number) ^ (x.rows[i] as number);
    cols[i] = (cols[i] as number) ^ (x.cols[i] as number);
  }
  return { rows, cols };
}

/** The modules of the symbol with `mask`, four at a time. */
function masked({ g, version }: Unmasked, mask: number): Symbol {
  const dark = g.dark.slice();
  const x = versionParts(version).xors[mask] as Uint8Array;
  const words = new Uint32Array(dark.buffer, 0, dark.length >>> 2);
  const xWords = new Uint32Array(x.buffer, x.byteOffset, x.length >>> 2);
  for (let i = 0; i < words.length; i++) words[i] = (words[i] as number) ^ (xWords[i] as number);
  return { dark, n: g.n };
}

/** The symbol for `bytes` with a given mask: rows of modules, true for dark. */
export function qrSymbol(bytes: Uint8Array, mask: number): boolean[][] {
  return toRows(masked(unmasked(bytes), mask));
}

function pickVersion(length: number): number {
  for (let v = 1; v <= BLOCKS.length; v++) {
    const [, ...groups] = BLOCKS[v - 1] as readonly [number, ...(readonly [number, number])[]];
    const capacity = groups.reduce((s, [b, d]) => s + b * d, 0) * 8;
    if (4 + (v < 10 ? 8 : 16) + length * 8 <= capacity) return v;
  }
  throw new RangeError(`qr: ${length} bytes do not fit a version 1–10 symbol at level M`);
}

function toRows({ dark, n }: Symbol): boolean[][] {
  const rows: boolean[][] = new Array(n);
  for (let r = 0; r < n; r++) {
    const row: boolean[] = new Array(n);
    for (let c = 0; c < n; c++) row[c] = dark[r * n + c] === 1;
    rows[r] = row;
  }
  return rows;
}

/**
 * The QR code for `text` (UTF-8, byte mode, level M): the mask with the lowest penalty, the
 * first of equals. The cheap rules are scored for all eight masks first and the masks taken in
 * that order, so the line rules of most masks stop early once they cannot win.
 */
export function qrCode(text: string): boolean[][] {
  const base = unmasked(new TextEncoder().encode(text));
  const n = base.g.n;
  const symbols = MASKS.map((_, mask) => maskedLines(base, mask));
  const lower = symbols.map((s) => blockPenalty(s.rows, n));
  const order = symbols
    .map((_, mask) => mask)
    .sort((a, b) => (lower[a] as number) - (lower[b] as number) || a - b);
  let best = -1;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const mask of order) {
    const floor = lower[mask] as number;
    if (floor > bestScore || (floor === bestScore && mask > best)) continue;
    // An equal score wins only for a lower mask number.
    const limit = mask < best ? bestScore + 1 : bestScore;
    const score = floor + linesPenalty(symbols[mask] as Packed, n, limit - floor);
    if (score < bestScore || (score === bestScore && mask < best)) {
      best = mask;
      bestScore = score;
    }
  }
  return toRows(masked(base, best));
}
