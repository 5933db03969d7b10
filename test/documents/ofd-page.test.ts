// The page of a license file says what the layout says: the QR code's outline path fills exactly
// its dark modules (under the nonzero rule and the even-odd rule, whichever a reader applies),
// and every line's DeltaX — with runs written `g <count> <value>` — gives the layout's advances.
import { describe, expect, it } from 'vitest';
import { layoutFace } from '../../adapters/documents/face/layout.js';
import { qrCode, qrModules, toRows } from '../../adapters/documents/face/qr-code.js';
import { docInfoFor } from '../../adapters/documents/ofd/issue-license-file.js';
import { buildOfd, PAGE_PATH } from '../../adapters/documents/ofd/ofd-package.js';
import { qrPath, qrPathOf } from '../../adapters/documents/ofd/qr-path.js';
import { num } from '../../adapters/documents/ofd/xml.js';
import { foodLicense, foodTemplate } from './fixtures.js';

type Point = [number, number];

/** The closed polygons of an M/L/C path. */
function polygons(path: string): Point[][] {
  const out: Point[][] = [];
  const tokens = path.trim() === '' ? [] : path.trim().split(/\s+/);
  for (let i = 0; i < tokens.length; ) {
    const command = tokens[i++];
    if (command === 'M') out.push([[Number(tokens[i++]), Number(tokens[i++])]]);
    else if (command === 'L') out.at(-1)?.push([Number(tokens[i++]), Number(tokens[i++])]);
    else expect(command).toBe('C');
  }
  return out;
}

/**
 * Winding number and crossing count of the polygons around the centre of every module, by a ray
 * to the right: a vertical edge at x counts for the modules of its rows left of x. Axis-parallel
 * edges (checked below): the ray (y not on the grid) crosses only vertical ones. Edges are sorted
 * by x once per row and summed right to left, not walked again for each module: the 70-module
 * grids below took seconds so.
 */
function around(shapes: Point[][], rows: number, cols: number): { winding: number; crossings: number }[][] {
  const crossing: { x: number; dir: number }[][] = Array.from({ length: rows }, () => []);
  for (const shape of shapes) {
    for (let i = 0; i < shape.length; i++) {
      const [x1, y1] = shape[i] as Point;
      const [x2, y2] = shape[(i + 1) % shape.length] as Point;
      if (x1 !== x2) continue;
      for (let r = 0; r < rows; r++) {
        const y = r + 0.5;
        if (Math.min(y1, y2) < y && y < Math.max(y1, y2)) crossing[r]?.push({ x: x1, dir: y2 > y1 ? 1 : -1 });
      }
    }
  }
  return crossing.map((edges) => {
    edges.sort((a, b) => b.x - a.x);
    const row: { winding: number; crossings: number }[] = [];
    let winding = 0;
    let crossings = 0;
    let next = 0;
    for (let c = cols - 1; c >= 0; c--) {
      const x = c + 0.5;
      for (; next < edges.length && (edges[next] as { x: number }).x > x; next++) {
        winding += (edges[next] as { dir: number }).dir;
        crossings++;
      }
      row[c] = { winding, crossings };
    }
    return row;
  });
}

function expectFills(modules: boolean[][]): void {
  const shapes = polygons(qrPath(modules).toString('latin1'));
  const slanted = shapes.flatMap((shape) =>
    shape.filter(([x1, y1], i) => {
      const [x2, y2] = shape[(i + 1) % shape.length] as Point;
      return x1 !== x2 && y1 !== y2;
    }),
  );
  expect(slanted).toEqual([]);
  const wrong: string[] = [];
  const counts = around(shapes, modules.length, Math.max(0, ...modules.map((row) => row.length)));
  modules.forEach((row, r) => {
    row.forEach((dark, c) => {
      const { winding, crossings } = counts[r]?.[c] ?? { winding: 0, crossings: 0 };
      if ((winding !== 0) !== dark) wrong.push(`nonzero at ${r},${c}`);
      if ((crossings % 2 === 1) !== dark) wrong.push(`even-odd at ${r},${c}`);
    });
  });
  expect(wrong).toEqual([]);
  // No edge but the dark area's boundary: its length is the count of dark modules' sides that
  // border light (or the symbol's edge). A stray edge walked there and back encloses nothing.
  const at = (r: number, c: number): boolean => modules[r]?.[c] === true;
  let sides = 0;
  modules.forEach((row, r) => {
    row.forEach((dark, c) => {
      if (dark) sides += [at(r - 1, c), at(r + 1, c), at(r, c - 1), at(r, c + 1)].filter((d) => !d).length;
    });
  });
  const length = shapes
    .flatMap((shape) =>
      shape.map(([x1, y1], i) => {
        const [x2, y2] = shape[(i + 1) % shape.length] as Point;
        return Math.abs(x2 - x1) + Math.abs(y2 - y1);
      }),
    )
    .reduce((a, b) => a + b, 0);
  expect(length).toBe(sides);
  // A walk that ran into a stray edge ends where it cannot turn: a polygon of fewer than four corners.
  expect(shapes.filter((shape) => shape.length < 4)).toEqual([]);
}

const grid = (n: number, dark: (r: number, c: number) => boolean): boolean[][] =>
  Array.from({ length: n }, (_, r) => Array.from({ length: n }, (_, c) => dark(r, c)));

describe('the QR code as an outline path', () => {
  it('fills exactly the dark modules of real codes', () => {
    for (const n of [1, 2, 3, 500, 123456789]) expectFills(qrCode(foodLicense(n).identifier));
    expectFills(qrCode('https://licenses.example.gov.cn/verify?id=1.2.156.3005.2.X'));
  });

  it('fills exactly the dark modules where modules touch only at corners, around holes, and at the edges', () => {
    expectFills(grid(9, (r, c) => (r + c) % 2 === 0)); // a checkerboard: a corner-touch everywhere
    expectFills(grid(7, (r, c) => r === 0 || c === 0 || r === 6 || c === 6 || (r === 3 && c === 3))); // ring, dot inside
    expectFills(grid(5, () => true));
    expectFills(grid(5, () => false));
    expectFills(grid(1, () => true));
    expectFills(grid(6, (r, c) => (r * 7 + c * 3) % 5 < 2));
  });

  it("draws the same path from the encoder's packed modules as from their rows, as the layout gives both", () => {
    for (const n of [1, 2, 500]) {
      const { identifier } = foodLicense(n);
      const symbol = qrModules(identifier);
      const fromRows = Buffer.from(qrPath(toRows(symbol)));
      expect(Buffer.from(qrPathOf(symbol)).equals(fromRows)).toBe(true);
      const { qr } = layoutFace(foodTemplate, foodLicense(n));
      expect(qr.modules).toEqual(qrCode(identifier));
      expect(Buffer.from(qrPathOf(qr.symbol as NonNullable<typeof qr.symbol>)).equals(fromRows)).toBe(true);
    }
  });

  it('fills exactly the dark modules of grids one, two and three words of modules wide', () => {
    // Sides are found 32 modules at a time: a word's top bit beside the next word's first, both colours.
    for (const n of [31, 32, 33, 63, 64, 65, 70]) {
      expectFills(grid(n, (r, c) => (r * 13 + c * 7) % 5 < 2));
      expectFills(grid(n, (r, c) => c % 32 === 31 || c % 32 === 0 || r === c));
      expectFills(grid(n, (r, c) => c % 32 !== 31 && (r + c) % 3 !== 0));
    }
  });

  it("draws the encoder's lines as it draws its modules, for every version the encoder makes", () => {
    // Versions 1–10: one word a line up to 29 modules, two past it.
    for (const length of [1, 20, 40, 60, 80, 100, 130, 160, 190, 213]) {
      const symbol = qrModules('x'.repeat(length));
      expect(symbol.rows).toBeDefined();
      const fromLines = Buffer.from(qrPathOf(symbol));
      expect(fromLines.equals(Buffer.from(qrPathOf({ dark: symbol.dark, n: symbol.n })))).toBe(true);
    }
  });

  it('writes a vertex only where the outline turns', () => {
    expect(qrPath(grid(3, () => true)).toString('latin1')).toBe('M 0 0 L 3 0 L 3 3 L 0 3 C');
    expect(qrPath(grid(2, (r, c) => r === c)).toString('latin1')).toBe(
      'M 0 0 L 1 0 L 1 1 L 2 1 L 2 2 L 1 2 L 1 1 L 0 1 C',
    );
  });
});

describe('DeltaX on the page', () => {
  it('gives every line the layout advances, runs written as g <count> <value>', () => {
    const license = foodLicense();
    const layout = layoutFace(foodTemplate, license);
    const doc = buildOfd(layout, docInfoFor(license, new Date()));
    const page = Buffer.from(doc.parts.get(PAGE_PATH) as Uint8Array).toString('utf8');
    const written = [...page.matchAll(/<ofd:TextCode [^>]*?(?: DeltaX="([^"]*)")?>/g)].map((m) => m[1] ?? '');
    expect(written).toHaveLength(layout.lines.length);
    expect(written.some((d) => d.startsWith('g '))).toBe(true);
    written.forEach((deltaX, i) => {
      const expanded: string[] = [];
      const tokens = deltaX.split(' ').filter((t) => t !== '');
      for (let k = 0; k < tokens.length; ) {
        if (tokens[k] === 'g') {
          for (let n = Number(tokens[k + 1]); n > 0; n--) expanded.push(tokens[k + 2] as string);
          k += 3;
        } else expanded.push(tokens[k++] as string);
      }
      expect(expanded).toEqual((layout.lines[i]?.deltas ?? []).map(num));
    });
  });
});
