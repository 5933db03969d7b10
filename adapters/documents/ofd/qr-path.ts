/**
 * A QR code's dark modules as one filled OFD path (GB/T 33190 AbbreviatedData: M, L, C), in
 * module units — the object's CTM scales them to the box: crisp at any zoom, no image to encode.
 *
 * The path is the outline of the dark area: one closed polygon per boundary, a vertex only where
 * it turns. Each row's runs as rectangles (what was written before) took some 12.7 KB for the
 * demo's 37-module code; the outline some 7 KB — and every byte of the page is hashed twice per
 * license (its Reference, the file's SM3 for the ledger), stored and written.
 *
 * Every boundary edge runs with the dark module on the same side (clockwise around dark, y
 * down), so a hole's outline winds against its surround: the area inside is the dark modules
 * exactly under the nonzero rule and the even-odd rule alike, however the outlines are split
 * into polygons where two dark modules touch only at a corner.
 */

import type { QrModules } from '../face/qr-code.js';

// Where qrPath writes: grown as needed; the result is a view of it, valid until the next call.
let scratch = Buffer.allocUnsafe(32 * 1024);
let words = new DataView(scratch.buffer, scratch.byteOffset, scratch.byteLength);
let edges = new Uint8Array(0);

const SPACE = 0x20;
const M = 0x4d;
const L = 0x4c;
const C = 0x43;

// Edge directions as bits of a vertex: east, south, west, north (x right, y down).
const E = 1;
const S = 2;
const W = 4;
const N = 8;

/**
 * Per coordinate (a symbol is at most 177 modules wide), a space and its digits as the bytes of
 * one little-endian word, and how many of them there are: a coordinate is one store, not a
 * digit at a time.
 */
const COORDINATE = new Uint32Array(256);
const COORDINATE_LENGTH = new Uint8Array(256);
for (let v = 0; v < 256; v++) {
  const text = ` ${v}`;
  let word = 0;
  for (let i = 0; i < text.length; i++) word |= text.charCodeAt(i) << (8 * i);
  COORDINATE[v] = word >>> 0;
  COORDINATE_LENGTH[v] = text.length;
}

/**
 * Per vertex of a grid `tableWidth` vertices wide, ` L x y` as the bytes of two little-endian
 * words, and how many of them there are: a turn of the outline is two stores, not a division for
 * its coordinates and two of them written. Up to 99 vertices wide (x and y two digits at most, eight
 * bytes in all), every version the encoder makes; built when the width changes.
 */
let tableWidth = 0;
let vertexLo = new Uint32Array(0);
let vertexHi = new Uint32Array(0);
let vertexLength = new Uint8Array(0);

function vertexTable(w: number): boolean {
  if (w > 99) return false;
  if (tableWidth !== w) {
    vertexLo = new Uint32Array(w * w);
    vertexHi = new Uint32Array(w * w);
    vertexLength = new Uint8Array(w * w);
    for (let v = 0; v < w * w; v++) {
      const x = v % w;
      const text = ` L ${x} ${(v - x) / w}`;
      let lo = 0;
      let hi = 0;
      for (let i = 0; i < text.length; i++) {
        if (i < 4) lo |= text.charCodeAt(i) << (8 * i);
        else hi |= text.charCodeAt(i) << (8 * (i - 4));
      }
      vertexLo[v] = lo >>> 0;
      vertexHi[v] = hi >>> 0;
      vertexLength[v] = text.length;
    }
    tableWidth = w;
  }
  return true;
}

/** The direction a walk leaves a vertex by, of the edges `bits` left there: E, S, W, N in that order. */
const FIRST = new Uint8Array(16);
for (let bits = 1; bits < 16; bits++) FIRST[bits] = bits & E ? E : bits & S ? S : bits & W ? W : N;

/**
 * By `bits << 4 | d` (the edges left at a vertex reached going `d`): the direction the walk
 * leaves by — straight on while it can, else `FIRST` — and 0xff where that is a turn (the vertex
 * written), 0 where not. Runs of a QR code are a module or two, so straight on and a turn are as
 * good as random: looked up, a step of the walk has no branch for the processor to guess wrong.
 */
const NEXT = new Uint8Array(256);
const TURN = new Uint8Array(256);
for (let bits = 1; bits < 16; bits++) {
  for (const d of [E, S, W, N]) {
    NEXT[(bits << 4) | d] = bits & d ? d : (FIRST[bits] as number);
    TURN[(bits << 4) | d] = bits & d ? 0 : 0xff;
  }
}

/**
 * `NEXT` with the step to the next vertex, `step << 4 | direction`, for a grid `movesWidth`
 * vertices wide: one read between a vertex's edges and the next vertex, not two.
 */
const moves = new Int32Array(256);
let movesWidth = 0;

/**
 * `<command> x y` at `at`, after a space unless first. Each coordinate is written as a whole word,
 * which may run past its digits into bytes written next; the scratch buffer keeps room past the
 * longest path (`most`).
 */
function putPoint(at: number, command: number, x: number, y: number): number {
  let to = at;
  if (to > 0) scratch[to++] = SPACE;
  scratch[to++] = command;
  words.setUint32(to, COORDINATE[x] as number, true);
  to += COORDINATE_LENGTH[x] as number;
  words.setUint32(to, COORDINATE[y] as number, true);
  return to + (COORDINATE_LENGTH[y] as number);
}

/** Sets `bit` at `base + c` for each set bit c of `word`; how many. */
function setEdges(out: Uint8Array, word: number, base: number, bit: number): number {
  let count = 0;
  for (let left = word; left !== 0; count++) {
    const low = left & -left;
    const at = base + 31 - Math.clz32(low);
    out[at] = (out[at] as number) | bit;
    left ^= low;
  }
  return count;
}

/**
 * The outline path of `modules` (rows of dark = true), as ASCII bytes: a view of a scratch
 * buffer, valid until the next call — copy it out.
 */
export function qrPath(modules: readonly (readonly boolean[])[]): Buffer {
  const n = modules.length;
  const packed = new Uint8Array(n * n);
  modules.forEach((row, r) => {
    for (let c = 0; c < n; c++) if (row[c]) packed[r * n + c] = 1;
  });
  return qrPathOf({ dark: packed, n });
}

/**
 * The symbol's rows as words, `k` a row (module c of row r at bit c % 32 of word r·k + c / 32), with
 * a light row above and below: a module's four sides are worked out 32 at a time from these.
 */
let lines = new Int32Array(0);

/** `qrPath` of a symbol's packed modules (row by row, 1 for dark), as the encoder makes them. */
export function qrPathOf(symbol: QrModules): Buffer {
  const { n } = symbol;
  const k = (n + 31) >>> 5;
  if (lines.length < (n + 2) * k) lines = new Int32Array((n + 2) * k);
  const rows = lines;
  rows.fill(0, 0, (n + 2) * k);
  const given = symbol.rows;
  if (given !== undefined && k <= 2) {
    // The encoder's lines: two words a row (qr-penalty.ts `Packed`).
    for (let r = 0; r < n; r++)
      for (let j = 0; j < k; j++) rows[(r + 1) * k + j] = given[2 * r + j] as number;
  } else {
    const from = symbol.dark;
    for (let r = 0, o = 0; r < n; r++) {
      const base = (r + 1) * k;
      for (let c = 0; c < n; c++, o++)
        rows[base + (c >>> 5)] = (rows[base + (c >>> 5)] as number) | (((from[o] as number) & 1) << (c & 31));
    }
  }
  // Each dark module's sides that border light, as unit edges leaving a vertex of the (n+1)²
  // grid, clockwise around the module: worked out for 32 modules of a row at once, then each
  // edge set at its vertex. Module by module (four neighbours read, four vertices written for
  // every module, dark or light) this was the path's largest cost, and its slowest before V8
  // had compiled it: the first licenses of a run.
  const w = n + 1;
  if (edges.length < w * w) edges = new Uint8Array(w * w);
  const out = edges;
  out.fill(0, 0, w * w);
  let count = 0;
  for (let r = 0; r < n; r++) {
    const at = (r + 1) * k;
    for (let j = 0; j < k; j++) {
      const d = rows[at + j] as number;
      if (d === 0) continue;
      const next = j + 1 < k ? (rows[at + j + 1] as number) : 0;
      const previous = j > 0 ? (rows[at + j - 1] as number) : 0;
      const c0 = 32 * j;
      // (c, r) → (c+1, r): light above; (c+1, r) → (c+1, r+1): light to the right;
      // (c+1, r+1) → (c, r+1): light below; (c, r+1) → (c, r): light to the left.
      count += setEdges(out, d & ~(rows[at - k + j] as number), r * w + c0, E);
      count += setEdges(out, d & ~((d >>> 1) | (next << 31)), r * w + c0 + 1, S);
      count += setEdges(out, d & ~(rows[at + k + j] as number), (r + 1) * w + c0 + 1, W);
      count += setEdges(out, d & ~((d << 1) | (previous >>> 31)), (r + 1) * w + c0, N);
    }
  }
  // At most one vertex per edge, each at most 10 bytes ("L 123 123 "), a " C" per polygon, and
  // room for the last coordinate's whole word.
  const most = count * 12 + 16;
  if (scratch.length < most) {
    scratch = Buffer.allocUnsafe(most);
    words = new DataView(scratch.buffer, scratch.byteOffset, scratch.byteLength);
  }
  const text = scratch;
  const view = words;
  const tabled = vertexTable(w);
  const lo = vertexLo;
  const hi = vertexHi;
  const length = vertexLength;
  const step = [0, 1, w, 0, -1, 0, 0, 0, -w];
  if (movesWidth !== w) {
    for (let key = 0; key < 256; key++) {
      const d = NEXT[key] as number;
      moves[key] = ((step[d] as number) << 4) | d;
    }
    movesWidth = w;
  }
  let at = 0;
  for (let start = 0; start < w * w; start++) {
    while (out[start] !== 0) {
      // Walk unused edges from `start` until none leaves the vertex reached: every vertex has as
      // many edges in as out, so that is `start` again, the polygon closed.
      let v = start;
      let d = FIRST[out[start] as number] as number;
      const x = start % w;
      at = putPoint(at, M, x, (start - x) / w);
      if (tabled) {
        let move = step[d] as number;
        for (;;) {
          out[v] = (out[v] as number) & ~d;
          v += move;
          const bits = out[v] as number;
          if (bits === 0) break;
          // ` L x y`, the words written whole at every step, kept only at a turn: past its
          // length (or all of it, straight on) they are written over next.
          const key = (bits << 4) | d;
          view.setUint32(at, lo[v] as number, true);
          view.setUint32(at + 4, hi[v] as number, true);
          at += (length[v] as number) & (TURN[key] as number);
          const next = moves[key] as number;
          d = next & 15;
          move = next >> 4;
        }
      } else {
        for (;;) {
          out[v] = (out[v] as number) & ~d;
          v += step[d] as number;
          const bits = out[v] as number;
          if (bits === 0) break;
          if (bits & d) continue; // straight on: no vertex
          d = FIRST[bits] as number;
          const vx = v % w;
          at = putPoint(at, L, vx, (v - vx) / w);
        }
      }
      text[at++] = SPACE;
      text[at++] = C;
    }
  }
  return text.subarray(0, at);
}
