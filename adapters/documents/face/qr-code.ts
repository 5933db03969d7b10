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

// A generator polynomial per EC codeword count: the same for every symbol, made once.
const generators = new Map<number, number[]>();

function reedSolomon(data: readonly number[], degree: number): number[] {
  let g = generators.get(degree);
  if (!g) {
    g = generator(degree);
    generators.set(degree, g);
  }
  const rem = new Array<number>(degree).fill(0);
  for (const d of data) {
    const factor = d ^ (rem.shift() as number);
    rem.push(0);
    for (let i = 0; i < degree; i++) rem[i] = (rem[i] as number) ^ mul(g[i + 1] as number, factor);
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

function codewords(bytes: Uint8Array, version: number): number[] {
  const [ec, ...groups] = BLOCKS[version - 1] as readonly [number, ...(readonly [number, number])[]];
  const capacity = groups.reduce((n, [b, d]) => n + b * d, 0);
  const bits: number[] = [];
  const put = (v: number, n: number) => {
    for (let i = n - 1; i >= 0; i--) bits.push((v >>> i) & 1);
  };
  put(0b0100, 4);
  put(bytes.length, version < 10 ? 8 : 16);
  for (const b of bytes) put(b, 8);
  put(0, Math.min(4, capacity * 8 - bits.length));
  while (bits.length % 8) bits.push(0);
  const data: number[] = [];
  for (let i = 0; i < bits.length; i += 8) data.push(bits.slice(i, i + 8).reduce((a, b) => (a << 1) | b, 0));
  for (let pad = 0xec; data.length < capacity; pad ^= 0xec ^ 0x11) data.push(pad);
  const blocks: { data: number[]; ec: number[] }[] = [];
  let at = 0;
  for (const [count, size] of groups) {
    for (let b = 0; b < count; b++) {
      const d = data.slice(at, at + size);
      at += size;
      blocks.push({ data: d, ec: reedSolomon(d, ec) });
    }
  }
  const out: number[] = [];
  const longest = Math.max(...blocks.map((b) => b.data.length));
  for (let i = 0; i < longest; i++)
    for (const b of blocks) if (i < b.data.length) out.push(b.data[i] as number);
  for (let i = 0; i < ec; i++) for (const b of blocks) out.push(b.ec[i] as number);
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
  const g: Grid = { n, dark: new Uint8Array(n * n), fixed: new Uint8Array(n * n) };
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

function placeData(g: Grid, words: readonly number[]): void {
  const { n } = g;
  let bit = 0;
  const total = words.length * 8;
  for (let right = n - 1; right >= 1; right -= 2) {
    if (right === 6) right = 5;
    for (let k = 0; k < n; k++) {
      for (let j = 0; j < 2; j++) {
        const c = right - j;
        const upward = ((right + 1) & 2) === 0;
        const r = upward ? n - 1 - k : k;
        if (g.fixed[r * n + c]) continue;
        const on = bit < total && ((words[bit >>> 3] as number) >>> (7 - (bit & 7))) & 1;
        g.dark[r * n + c] = on ? 1 : 0;
        bit++;
      }
    }
  }
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

/**
 * Penalty of one line of modules (rules 1 and 3), read with `step` (1: a row, n: a column) from
 * `start`. Eight masks × 2n lines make this most of the encoder's time, so the finder-like
 * pattern is matched on a rolling window of the last 15 modules instead of module by module.
 */
function linePenalty(dark: Uint8Array, start: number, step: number, n: number): number {
  let score = 0;
  let run = 0;
  let previous = -1;
  let window = 0;
  for (let j = 0, o = start; j < n; j++, o += step) {
    const bit = dark[o] as number;
    if (bit === previous) run++;
    else {
      if (run >= 5) score += run - 2;
      run = 1;
      previous = bit;
    }
    window = ((window << 1) | bit) & 0x7fff;
    if (j >= 10) {
      // 1:1:3:1:1 with four light modules before it (ending here) or after it (starting 10 back);
      // modules outside the symbol do not count as light, and a pattern with both counts once.
      const last11 = window & 0x7ff;
      if (last11 === 0b00001011101) score += 40;
      else if (last11 === 0b10111010000 && !(j >= 14 && window >> 11 === 0)) score += 40;
    }
  }
  if (run >= 5) score += run - 2;
  return score;
}

/** Rules 2 and 4 of the ISO/IEC 18004 §7.8.3 penalty: 2×2 blocks of one colour, the dark share. */
function blockPenalty(dark: Uint8Array, n: number): number {
  let darkCount = 0;
  for (let o = 0; o < n * n; o++) darkCount += dark[o] as number;
  let score = Math.floor(Math.abs((darkCount * 100) / (n * n) - 50) / 5) * 10;
  for (let r = 0; r + 1 < n; r++) {
    for (let o = r * n, last = o + n - 1; o < last; o++) {
      const s =
        (dark[o] as number) + (dark[o + 1] as number) + (dark[o + n] as number) + (dark[o + n + 1] as number);
      if (s === 0 || s === 4) score += 3;
    }
  }
  return score;
}

/**
 * Rules 1 and 3 over every row and column — or, once the sum reaches `limit`, that partial sum:
 * every rule only adds, so a mask that cannot beat the best so far needs no more lines scored.
 */
function linesPenalty(dark: Uint8Array, n: number, limit: number): number {
  let score = 0;
  for (let i = 0; i < n && score < limit; i++)
    score += linePenalty(dark, i * n, 1, n) + linePenalty(dark, i, n, n);
  return score;
}

interface Symbol {
  dark: Uint8Array;
  n: number;
}

// Per version, the function patterns and each mask's flips over the data modules: the same for
// every symbol of that version, so built once (the face's QR code is part of every license file).
const byVersion = new Map<number, { grid: Grid; flips: Uint8Array[] }>();

function versionParts(version: number): { grid: Grid; flips: Uint8Array[] } {
  let parts = byVersion.get(version);
  if (!parts) {
    const grid = functionPatterns(version);
    const { n } = grid;
    const flips = MASKS.map((m) => {
      const f = new Uint8Array(n * n);
      for (let r = 0; r < n; r++)
        for (let c = 0; c < n; c++) if (!grid.fixed[r * n + c] && m(r, c)) f[r * n + c] = 1;
      return f;
    });
    parts = { grid, flips };
    byVersion.set(version, parts);
  }
  return parts;
}

/** Function patterns and data placed, unmasked: what every mask starts from. */
function unmasked(bytes: Uint8Array): { g: Grid; version: number } {
  const version = pickVersion(bytes.length);
  const { grid } = versionParts(version);
  const g: Grid = { n: grid.n, dark: grid.dark.slice(), fixed: grid.fixed };
  placeData(g, codewords(bytes, version));
  return { g, version };
}

function masked({ g, version }: { g: Grid; version: number }, mask: number): Symbol {
  const dark = g.dark.slice();
  const flips = versionParts(version).flips[mask] as Uint8Array;
  for (let o = 0; o < dark.length; o++) dark[o] = (dark[o] as number) ^ (flips[o] as number);
  writeFormat(dark, g.n, mask, version);
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
  const symbols = MASKS.map((_, mask) => masked(base, mask));
  const lower = symbols.map((s) => blockPenalty(s.dark, s.n));
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
    const s = symbols[mask] as Symbol;
    const score = floor + linesPenalty(s.dark, s.n, limit - floor);
    if (score < bestScore || (score === bestScore && mask < best)) {
      best = mask;
      bestScore = score;
    }
  }
  return toRows(symbols[best] as Symbol);
}
