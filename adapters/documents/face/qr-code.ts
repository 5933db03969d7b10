/**
 * A QR code encoder (ISO/IEC 18004) for what a license face carries: byte mode, error correction
 * level M, versions 1–10 (up to 213 bytes: an identifier or a verification link). Written here
 * because the face's QR code was most of a license file's cost: a general encoder re-encodes the
 * symbol for each of the eight masks, where the masks only need scoring (bench/license-files.ts).
 * Its symbols are checked module by module against qrcode-generator's (test/documents).
 *
 * The parts: the codewords (qr-codewords.ts), the modules they are placed in (qr-matrix.ts), the
 * mask penalty (qr-penalty.ts); here, the symbol put together and its mask chosen.
 */

import { codewords, pickVersion } from './qr-codewords.js';
import { functionPatterns, type Grid, MASKS, placementOrder, writeFormat } from './qr-matrix.js';
import { blockPenalty, linesPenalty, type Packed, pack } from './qr-penalty.js';

/** A symbol's modules row by row, `n` a row, 1 for dark. */
export interface QrModules {
  readonly dark: Uint8Array;
  readonly n: number;
  /**
   * The same modules as lines of two 32-bit words (module c of row r at bit c % 32 of word
   * 2r + c / 32), as the encoder scored them: what the OFD page's outline is traced from.
   */
  readonly rows?: Int32Array;
}

// Per version, the function patterns and each mask's flips over the data modules: the same for
// every symbol of that version, so built once (the face's QR code is part of every license file).
interface VersionParts {
  grid: Grid;
  /**
   * Where each mask's packed lines are written while a symbol of this version is scored: made
   * once and written over by the next symbol (`qrCode` runs to its end before another starts).
   */
  scratch: Packed[];
  /**
   * Per mask, packed, what turns the unmasked symbol into the masked one: the mask's flips over
   * the data modules, and the format (and version) information it writes over the reserved modules.
   */
  packedXors: Packed[];
  order: Int32Array;
  /** The function patterns alone, packed: what every unmasked symbol's lines start from. */
  packedPatterns: Packed;
  /**
   * Per data module in placement order, where its bit goes in the packed lines: the word of its
   * row and its bit there, the word of its column and its bit there.
   */
  rowWord: Uint8Array;
  rowBit: Uint8Array;
  colWord: Uint8Array;
  colBit: Uint8Array;
}

const byVersion = new Map<number, VersionParts>();

const utf8 = new TextEncoder();

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
    const order = placementOrder(grid);
    const rowWord = new Uint8Array(order.length);
    const rowBit = new Uint8Array(order.length);
    const colWord = new Uint8Array(order.length);
    const colBit = new Uint8Array(order.length);
    for (let bit = 0; bit < order.length; bit++) {
      const o = order[bit] as number;
      const r = Math.floor(o / n);
      const c = o - r * n;
      rowWord[bit] = 2 * r + (c >>> 5);
      rowBit[bit] = c & 31;
      colWord[bit] = 2 * c + (r >>> 5);
      colBit[bit] = r & 31;
    }
    parts = {
      grid,
      scratch: MASKS.map(() => ({ rows: new Int32Array(2 * n), cols: new Int32Array(2 * n) })),
      packedXors: xors.map((x) => pack(x, n)),
      order,
      packedPatterns: pack(grid.dark, n),
      rowWord,
      rowBit,
      colWord,
      colBit,
    };
    byVersion.set(version, parts);
  }
  return parts;
}

/** Function patterns and data placed, unmasked, as packed lines: what every mask starts from. */
interface Unmasked {
  version: number;
  packed: Packed;
}

function unmasked(bytes: Uint8Array): Unmasked {
  const version = pickVersion(bytes.length);
  const parts = versionParts(version);
  const { order, packedPatterns, rowWord, rowBit, colWord, colBit } = parts;
  const words = codewords(bytes, version);
  // Data placed and packed in one pass over the data modules alone: the function patterns' lines
  // are packed once per version, and a data module's bit goes straight into its row and column.
  const packed: Packed = { rows: packedPatterns.rows.slice(), cols: packedPatterns.cols.slice() };
  const { rows, cols } = packed;
  const total = Math.min(order.length, words.length * 8);
  // Every bit or'ed in, light ones as 0 (the packed lines start from the function patterns alone,
  // every data module light), without a branch: the codewords' bits are as good as random, and a
  // branch on them was mispredicted half the time, for each of a symbol's thousand data modules.
  for (let bit = 0; bit < total; bit++) {
    const dark = ((words[bit >>> 3] as number) >>> (7 - (bit & 7))) & 1;
    const rw = rowWord[bit] as number;
    const cw = colWord[bit] as number;
    rows[rw] = (rows[rw] as number) | (dark << (rowBit[bit] as number));
    cols[cw] = (cols[cw] as number) | (dark << (colBit[bit] as number));
  }
  // Remainder bits (§7.7.3) are light, as left.
  return { version, packed };
}

/**
 * The packed rows of the symbol with `mask` (in the version's scratch), and its columns only when
 * `columns`: every mask's rows are scored (rules 2 and 4), its columns only for the masks whose
 * line rules are scored, most of them not (`qrModules`).
 */
function maskedLines({ version, packed: base }: Unmasked, mask: number, columns: boolean): Packed {
  const parts = versionParts(version);
  const x = parts.packedXors[mask] as Packed;
  const out = parts.scratch[mask] as Packed;
  const { rows, cols } = out;
  if (columns) {
    for (let i = 0; i < cols.length; i++) cols[i] = (base.cols[i] as number) ^ (x.cols[i] as number);
  } else {
    for (let i = 0; i < rows.length; i++) rows[i] = (base.rows[i] as number) ^ (x.rows[i] as number);
  }
  return out;
}

/**
 * A symbol as the encoder leaves it: its lines, and its modules one a byte only when read. The OFD
 * page traces its outline from the lines; only the face picture reads the modules, and writing
 * them out for every license (a copy of the version's patterns, each data module placed, each
 * mask's flips over them) was a fifth of the encoder's cost.
 */
class PackedSymbol implements QrModules {
  readonly n: number;
  readonly rows: Int32Array;
  #dark: Uint8Array | undefined;

  constructor(n: number, rows: Int32Array) {
    this.n = n;
    this.rows = rows;
  }

  get dark(): Uint8Array {
    if (this.#dark === undefined) {
      const { n, rows } = this;
      const dark = new Uint8Array(n * n);
      for (let r = 0, o = 0; r < n; r++)
        for (let c = 0; c < n; c++, o++) dark[o] = ((rows[2 * r + (c >>> 5)] as number) >>> (c & 31)) & 1;
      this.#dark = dark;
    }
    return this.#dark;
  }
}

/** The symbol for `bytes` with a given mask: rows of modules, true for dark. */
export function qrSymbol(bytes: Uint8Array, mask: number): boolean[][] {
  const base = unmasked(bytes);
  return toRows(
    new PackedSymbol(versionParts(base.version).grid.n, maskedLines(base, mask, false).rows.slice()),
  );
}

/** Rows of modules, true for dark. */
export function toRows({ dark, n }: QrModules): boolean[][] {
  const rows: boolean[][] = new Array(n);
  for (let r = 0; r < n; r++) {
    const row: boolean[] = new Array(n);
    for (let c = 0; c < n; c++) row[c] = dark[r * n + c] === 1;
    rows[r] = row;
  }
  return rows;
}

/** The QR code for `text` (see `qrModules`): rows of modules, true for dark. */
export function qrCode(text: string): boolean[][] {
  return toRows(qrModules(text));
}

/**
 * The QR code for `text` (UTF-8, byte mode, level M), its modules packed: the mask with the
 * lowest penalty, the first of equals. The cheap rules are scored for all eight masks first and
 * the masks taken in that order, so the line rules of most masks stop early once they cannot win.
 */
export function qrModules(text: string): QrModules {
  const base = unmasked(utf8.encode(text));
  const n = versionParts(base.version).grid.n;
  // Arrays pushed to, not made by `map`: `map` makes packed arrays until V8 compiles its caller
  // and holey ones after, and each read of them compiled for the one kind was thrown away at the
  // first of the other ("wrong map"): this function was compiled four times in a run's first pages.
  const symbols: Packed[] = [];
  const lower: number[] = [];
  const order: number[] = [];
  for (let mask = 0; mask < MASKS.length; mask++) {
    const lines = maskedLines(base, mask, false);
    symbols.push(lines);
    lower.push(blockPenalty(lines.rows, n));
    order.push(mask);
  }
  order.sort((a, b) => (lower[a] as number) - (lower[b] as number) || a - b);
  let best = -1;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const mask of order) {
    const floor = lower[mask] as number;
    if (floor > bestScore || (floor === bestScore && mask > best)) continue;
    // An equal score wins only for a lower mask number.
    const limit = mask < best ? bestScore + 1 : bestScore;
    const score = floor + linesPenalty(maskedLines(base, mask, true), n, limit - floor);
    if (score < bestScore || (score === bestScore && mask < best)) {
      best = mask;
      bestScore = score;
    }
  }
  return new PackedSymbol(n, (symbols[best] as Packed).rows.slice());
}
