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
let cells = new Uint8Array(0);
let edges = new Uint8Array(0);

const SPACE = 0x20;
const M = 0x4d;
const L = 0x4c;
const C = 0x43;

/** A space, then `v` (a symbol is at most 177 modules wide: up to three digits). */
function putInt(out: Buffer, start: number, v: number): number {
  let at = start;
  out[at++] = SPACE;
  if (v >= 100) {
    out[at++] = 0x30 + Math.floor(v / 100);
    out[at++] = 0x30 + (Math.floor(v / 10) % 10);
    out[at++] = 0x30 + (v % 10);
  } else if (v >= 10) {
    out[at++] = 0x30 + Math.floor(v / 10);
    out[at++] = 0x30 + (v % 10);
  } else out[at++] = 0x30 + v;
  return at;
}

/** `<command> x y`, after a space unless first. */
function putPoint(out: Buffer, start: number, command: number, x: number, y: number): number {
  let at = start;
  if (at > 0) out[at++] = SPACE;
  out[at++] = command;
  at = putInt(out, at, x);
  return putInt(out, at, y);
}

// Edge directions as bits of a vertex: east, south, west, north (x right, y down).
const E = 1;
const S = 2;
const W = 4;
const N = 8;

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
  // grid, clockwise around the module.
  const w = n + 1;
  if (edges.length < w * w) edges = new Uint8Array(w * w);
  const out = edges;
  out.fill(0, 0, w * w);
  let count = 0;
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      const m = (r + 1) * p + c + 1;
      if (dark[m] === 0) continue;
      const v = r * w + c;
      if (dark[m - p] === 0) {
        out[v] = (out[v] as number) | E; // top: (c, r) → (c+1, r)
        count++;
      }
      if (dark[m + 1] === 0) {
        out[v + 1] = (out[v + 1] as number) | S; // right: (c+1, r) → (c+1, r+1)
        count++;
      }
      if (dark[m + p] === 0) {
        out[v + w + 1] = (out[v + w + 1] as number) | W; // bottom: (c+1, r+1) → (c, r+1)
        count++;
      }
      if (dark[m - 1] === 0) {
        out[v + w] = (out[v + w] as number) | N; // left: (c, r+1) → (c, r)
        count++;
      }
    }
  }
  // At most one vertex per edge, each at most 10 bytes ("L 123 123 "), and a " C" per polygon.
  const most = count * 12 + 16;
  if (scratch.length < most) scratch = Buffer.allocUnsafe(most);
  const text = scratch;
  let at = 0;
  for (let start = 0; start < w * w; start++) {
    while (out[start] !== 0) {
      // Walk unused edges from `start` until none leaves the vertex reached: every vertex has as
      // many edges in as out, so that is `start` again, the polygon closed.
      let x = start % w;
      let y = (start - x) / w;
      let v = start;
      let bits = out[start] as number;
      let d = bits & E ? E : bits & S ? S : bits & W ? W : N;
      at = putPoint(text, at, M, x, y);
      for (;;) {
        out[v] = (out[v] as number) & ~d;
        if (d === E) {
          x++;
          v++;
        } else if (d === S) {
          y++;
          v += w;
        } else if (d === W) {
          x--;
          v--;
        } else {
          y--;
          v -= w;
        }
        bits = out[v] as number;
        if (bits === 0) break;
        if (bits & d) continue; // straight on: no vertex
        d = bits & E ? E : bits & S ? S : bits & W ? W : N;
        at = putPoint(text, at, L, x, y);
      }
      text[at++] = SPACE;
      text[at++] = C;
    }
  }
  return text.subarray(0, at);
}
