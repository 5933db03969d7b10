/**
 * The data of a QR code (ISO/IEC 18004) as the face's encoder makes it: the bytes in byte mode,
 * padded to the version's capacity at level M, cut into blocks, each followed by its Reed–Solomon
 * error correction codewords, and the blocks interleaved (§7.4–7.6).
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

/** Data codewords per version at level M, from BLOCKS. */
const CAPACITY = BLOCKS.map(([, ...groups]) => groups.reduce((n, [b, d]) => n + b * d, 0));

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

/**
 * Per EC codeword count, for every factor f, f × the generator's coefficients after the leading 1
 * as bytes packed four to a 32-bit word, the first coefficient in the top byte (its words padded
 * with zeros): the same for every symbol, made once. The remainder is then shifted and added a
 * word at a time, not a codeword at a time — the division was a quarter of a QR code's cost.
 */
const products = new Map<number, Int32Array>();

function productsOf(degree: number): Int32Array {
  let table = products.get(degree);
  if (!table) {
    // Every coefficient of these generators is non-zero: their logs are defined.
    const logs = generator(degree)
      .slice(1)
      .map((c) => LOG[c] as number);
    const words = (degree + 3) >>> 2;
    table = new Int32Array(256 * words);
    for (let factor = 1; factor < 256; factor++) {
      const lf = LOG[factor] as number;
      for (let i = 0; i < degree; i++) {
        const at = factor * words + (i >>> 2);
        table[at] = (table[at] as number) | ((EXP[(logs[i] as number) + lf] as number) << (24 - 8 * (i & 3)));
      }
    }
    products.set(degree, table);
  }
  return table;
}

/** Longest remainder in words: 26 EC codewords (versions 3 and 10) take 7. */
const MAX_WORDS = 7;
const remainder = new Int32Array(MAX_WORDS + 1);

/**
 * The `degree` EC codewords of `data[from … from + size)`: the remainder of data·x^degree by the
 * generator (§7.5.2), codeword i written at `out[at + i · stride]` (its place once interleaved).
 */
function reedSolomon(
  data: Uint8Array,
  from: number,
  size: number,
  degree: number,
  out: Uint8Array,
  at: number,
  stride: number,
): void {
  const table = productsOf(degree);
  const words = (degree + 3) >>> 2;
  const rem = remainder;
  // One word past the remainder stays zero: what the last word shifts in.
  rem.fill(0, 0, words + 1);
  for (let k = from; k < from + size; k++) {
    // The codeword leaving the remainder, added to the next data codeword: the factor.
    const factor = ((data[k] as number) ^ ((rem[0] as number) >>> 24)) & 0xff;
    const row = factor * words;
    for (let j = 0; j < words; j++)
      rem[j] = (((rem[j] as number) << 8) | ((rem[j + 1] as number) >>> 24)) ^ (table[row + j] as number);
  }
  for (let i = 0; i < degree; i++)
    out[at + i * stride] = ((rem[i >>> 2] as number) >>> (24 - 8 * (i & 3))) & 0xff;
}

/**
 * A version's blocks: where each starts in the data codewords and how many it holds, and where
 * each data codeword goes once the blocks are interleaved (§7.6) — the same for every symbol of
 * the version, made once, not blocks cut and their codewords dealt out again for each.
 */
interface Blocks {
  ec: number;
  starts: Int32Array;
  sizes: Int32Array;
  dataAt: Uint16Array;
}

const blocksByVersion: (Blocks | undefined)[] = [];

function blocksOf(version: number): Blocks {
  let known = blocksByVersion[version];
  if (known === undefined) {
    const [ec, ...groups] = BLOCKS[version - 1] as readonly [number, ...(readonly [number, number])[]];
    const sizes: number[] = [];
    for (const [count, size] of groups) for (let b = 0; b < count; b++) sizes.push(size);
    const starts: number[] = [];
    let from = 0;
    for (const size of sizes) {
      starts.push(from);
      from += size;
    }
    const dataAt = new Uint16Array(from);
    let o = 0;
    const longest = Math.max(...sizes);
    for (let i = 0; i < longest; i++)
      sizes.forEach((size, b) => {
        if (i < size) dataAt[(starts[b] as number) + i] = o++;
      });
    known = { ec, starts: Int32Array.from(starts), sizes: Int32Array.from(sizes), dataAt };
    blocksByVersion[version] = known;
  }
  return known;
}

/** Data codewords, written over for each symbol (`codewords` runs to its end before another starts). */
const dataScratch = new Uint8Array(Math.max(...CAPACITY));

/** The final codeword sequence of `bytes` in a `version` symbol: data and EC blocks interleaved. */
export function codewords(bytes: Uint8Array, version: number): Uint8Array {
  const capacity = CAPACITY[version - 1] as number;
  // Mode (0100) and count (8 or 16 bits) are an odd number of nibbles: the bytes follow shifted
  // half a byte. The terminator and the padding to a byte are zeros already.
  const data = dataScratch;
  const n = bytes.length;
  let at = 0;
  let carry: number;
  if (version >= 10) {
    data[at++] = 0x40 | ((n >>> 12) & 15);
    data[at++] = (((n >>> 8) & 15) << 4) | ((n >>> 4) & 15);
    carry = (n & 15) << 4;
  } else {
    data[at++] = 0x40 | ((n >>> 4) & 15);
    carry = (n & 15) << 4;
  }
  // The high half of data[at] is the last nibble of the head, then each byte straddles two.
  for (let k = 0; k < n; k++) {
    const b = bytes[k] as number;
    data[at++] = carry | (b >>> 4);
    carry = (b & 15) << 4;
  }
  // Fits: pickVersion leaves room for the last half byte (the head is odd, the total too).
  data[at++] = carry;
  let used = at;
  for (let pad = 0xec; used < capacity; pad ^= 0xec ^ 0x11) data[used++] = pad;
  const { ec, starts, sizes, dataAt } = blocksOf(version);
  const count = sizes.length;
  const out = new Uint8Array(capacity + ec * count);
  for (let j = 0; j < capacity; j++) out[dataAt[j] as number] = data[j] as number;
  for (let b = 0; b < count; b++)
    reedSolomon(data, starts[b] as number, sizes[b] as number, ec, out, capacity + b, count);
  return out;
}

/** The smallest version 1–10 whose level M capacity holds `length` bytes. */
export function pickVersion(length: number): number {
  for (let v = 1; v <= BLOCKS.length; v++) {
    const capacity = (CAPACITY[v - 1] as number) * 8;
    if (4 + (v < 10 ? 8 : 16) + length * 8 <= capacity) return v;
  }
  throw new RangeError(`qr: ${length} bytes do not fit a version 1–10 symbol at level M`);
}
