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
let cells = new Uint8Array(0);
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

/** The direction a walk leaves a vertex by, of the edges `bits` left there: E, S, W, N in that order. */
const FIRST = new Uint8Array(16);
for (let bits = 1; bits < 16; bits++) FIRST[bits] = bits & E ? E : bits & S ? S : bits & W ? W : N;

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

/** `qrPath` of a symbol's packed modules (row by row, 1 for dark), as the encoder makes them. */
export function qrPathOf(symbol: QrModules): Buffer {
  const { n } = symbol;
  // The modules with a light border (the quiet zone), so every neighbour can be read.
  const p = n + 2;
  if (cells.length < p * p) cells = new Uint8Array(p * p);
  const dark = cells;
  dark.fill(0, 0, p * p);
  const from = symbol.dark;
  for (let r = 0, o = 0; r < n; r++) {
    const base = (r + 1) * p + 1;
    for (let c = 0; c < n; c++, o++) dark[base + c] = from[o] as number;
  }
  // Each dark module's sides that border light, as unit edges leaving a vertex of the (n+1)²
  // grid, clockwise around the module. Worked out for every module without a branch: whether a
  // module is dark and its neighbour light is as good as random, and mispredicted branches on it
  // were most of the time this took.
  const w = n + 1;
  if (edges.length < w * w) edges = new Uint8Array(w * w);
  const out = edges;
  out.fill(0, 0, w * w);
  let count = 0;
  for (let r = 0; r < n; r++) {
    let m = (r + 1) * p + 1;
    let v = r * w;
    for (let c = 0; c < n; c++, m++, v++) {
      const d = dark[m] as number;
      const top = d & ((dark[m - p] as number) ^ 1); // (c, r) → (c+1, r)
      const right = d & ((dark[m + 1] as number) ^ 1); // (c+1, r) → (c+1, r+1)
      const bottom = d & ((dark[m + p] as number) ^ 1); // (c+1, r+1) → (c, r+1)
      const left = d & ((dark[m - 1] as number) ^ 1); // (c, r+1) → (c, r)
      out[v] = (out[v] as number) | (top * E);
      out[v + 1] = (out[v + 1] as number) | (right * S);
      out[v + w + 1] = (out[v + w + 1] as number) | (bottom * W);
      out[v + w] = (out[v + w] as number) | (left * N);
      count += top + right + bottom + left;
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
  const step = [0, 1, w, 0, -1, 0, 0, 0, -w];
  let at = 0;
  for (let start = 0; start < w * w; start++) {
    while (out[start] !== 0) {
      // Walk unused edges from `start` until none leaves the vertex reached: every vertex has as
      // many edges in as out, so that is `start` again, the polygon closed.
      let v = start;
      let d = FIRST[out[start] as number] as number;
      const x = start % w;
      at = putPoint(at, M, x, (start - x) / w);
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
      text[at++] = SPACE;
      text[at++] = C;
    }
  }
  return text.subarray(0, at);
}
