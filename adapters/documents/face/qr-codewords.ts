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

/** The final codeword sequence of `bytes` in a `version` symbol: data and EC blocks interleaved. */
export function codewords(bytes: Uint8Array, version: number): Uint8Array {
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

/** The smallest version 1–10 whose level M capacity holds `length` bytes. */
export function pickVersion(length: number): number {
  for (let v = 1; v <= BLOCKS.length; v++) {
    const [, ...groups] = BLOCKS[v - 1] as readonly [number, ...(readonly [number, number])[]];
    const capacity = groups.reduce((s, [b, d]) => s + b * d, 0) * 8;
    if (4 + (v < 10 ? 8 : 16) + length * 8 <= capacity) return v;
  }
  throw new RangeError(`qr: ${length} bytes do not fit a version 1–10 symbol at level M`);
}
