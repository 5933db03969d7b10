// A CHAR(n) value read under `trim: none` keeps its padding, and a caption, a list's join (、) or
// the value itself may put closing punctuation after it: `（王海`, 60 spaces, `）`. The mark stays
// on the line its padding ends (face-padded-punctuation), and a mark at a line's end may hang one
// em past the box — yet it was drawn where the padding put it: 30 em of spaces in a 24 em box set
// the mark 9 em past the box's edge, over whatever the template puts beside it (the QR code, the
// seal), in the OFD page and its picture alike, and a centred line was centred on the padding and
// the mark, so it started left of its box. The spaces a line holds before such a mark now advance
// no further than the box's edge: the mark hangs at the edge, as one after text does.
import { describe, expect, it } from 'vitest';
import type { FaceTemplate, FaceText } from '../../adapters/documents/face/face-template.js';
import { type LaidLine, layoutFace } from '../../adapters/documents/face/layout.js';
import { docInfoFor } from '../../adapters/documents/ofd/issue-license-file.js';
import { buildOfd, PAGE_PATH } from '../../adapters/documents/ofd/ofd-package.js';
import { faceSvg, glyphXs } from '../../adapters/documents/picture/face-svg.js';
import type { License } from '../../catalog/license.js';
import { oneBoxFace } from './fixtures.js';

// 24 em at 5 mm: a space is half an em, so 48 spaces fill it.
const BOX: FaceText = {
  field: 'surface.legalRepresentative',
  x: 20,
  y: 100,
  width: 120,
  size: 5,
  maxLines: 3,
};

function faceOf(value: string, box: Partial<FaceText>): { template: FaceTemplate; license: License } {
  return oneBoxFace({ ...BOX, ...box }, value);
}

function linesOf(value: string, box: Partial<FaceText> = {}): LaidLine[] {
  const { template, license } = faceOf(value, box);
  return layoutFace(template, license).lines;
}

/** Left and right of each glyph that draws (not a space), mm, from the line's advances. */
function glyphSpans(line: LaidLine): { ch: string; left: number; right: number }[] {
  const xs = glyphXs(line.x, line.deltas);
  return [...line.text].flatMap((ch, n) =>
    ch === ' ' ? [] : [{ ch, left: xs[n] as number, right: (xs[n] as number) + line.size }],
  );
}

/** An OFD DeltaX list read out: `g 3 2.5` is 2.5 three times (GB/T 33190 §11.3). */
function deltaX(list: string): number[] {
  const items = list.split(' ');
  const out: number[] = [];
  for (let i = 0; i < items.length; i++) {
    if (items[i] === 'g') {
      out.push(...Array(Number(items[i + 1])).fill(Number(items[i + 2])));
      i += 2;
    } else out.push(Number(items[i]));
  }
  return out;
}

const RIGHT = (BOX.x as number) + (BOX.width as number);
const EM = BOX.size as number;

describe('closing punctuation after padding that runs past the box', () => {
  for (const align of ['left', 'center'] as const) {
    for (const mark of ['。', '，', '）']) {
      it(`hangs ${mark} at the box's edge, no further (${align})`, () => {
        const value = `（王海${' '.repeat(60)}${mark}`;
        const [line, ...rest] = linesOf(value, { align });
        expect(rest).toEqual([]);
        // The text is drawn as it is: the padding stays, each space a glyph of the line.
        expect(line?.text).toBe(value);
        expect(line?.deltas.length).toBe([...value].length - 1);
        const spans = glyphSpans(line as LaidLine);
        expect(spans.map((s) => s.ch).join('')).toBe(`（王海${mark}`);
        for (const s of spans) {
          expect(s.left, s.ch).toBeGreaterThanOrEqual((BOX.x as number) - 1e-9);
          expect(s.right, s.ch).toBeLessThanOrEqual(RIGHT + EM + 1e-9);
        }
        // Left-aligned, the mark starts at the box's edge, as a mark hung after text does.
        if (align === 'left') expect(spans.at(-1)?.left).toBeCloseTo(RIGHT, 9);
      });
    }
  }

  it('hangs each join of a list of padded items at the edge of its line', () => {
    const lines = linesOf(`王海${' '.repeat(60)}、李四${' '.repeat(60)}、张三`);
    expect(lines.map((l) => l.text.trimEnd())).toEqual([
      `王海${' '.repeat(60)}、`,
      `李四${' '.repeat(60)}、`,
      '张三',
    ]);
    for (const line of lines.slice(0, 2)) expect(glyphSpans(line).at(-1)?.left).toBeCloseTo(RIGHT, 9);
  });

  it('hangs a mark after a space that only just runs past the box by the space it has left', () => {
    // 23 em of text and three spaces: the third space reaches 24.5 em, the mark would start there.
    const [line] = linesOf(`${'青'.repeat(23)}   。`, { maxLines: 1 });
    expect(line?.text).toBe(`${'青'.repeat(23)}   。`);
    expect(glyphSpans(line as LaidLine).at(-1)?.left).toBeCloseTo(RIGHT, 9);
  });

  it('lays padding out as before where the mark after it starts inside the box', () => {
    // 2 em of text and 40 spaces (20 em): the mark starts at 22 em.
    const [line] = linesOf(`王海${' '.repeat(40)}。`);
    expect(line?.deltas).toEqual([EM, EM, ...Array(40).fill(EM / 2)]);
    expect(glyphSpans(line as LaidLine).at(-1)?.left).toBeCloseTo((BOX.x as number) + 22 * EM, 9);
  });

  it('puts the mark at the same place on the OFD page and in the face picture', () => {
    const { template, license } = faceOf(`（王海${' '.repeat(60)}）`, {});
    const layout = layoutFace(template, license);
    const page = Buffer.from(
      buildOfd(layout, docInfoFor(license, new Date(0))).parts.get(PAGE_PATH) as Uint8Array,
    ).toString('utf8');
    const object =
      /<ofd:TextObject [^>]*Boundary="([^"]+)"[^>]*>[\s\S]*?<ofd:TextCode [^>]*DeltaX="([^"]+)"/.exec(page);
    const [x = 0, , width = 0] = (object?.[1] ?? '').split(' ').map(Number);
    const pageXs = glyphXs(x, deltaX(object?.[2] ?? ''));
    expect(pageXs.at(-1)).toBeCloseTo(RIGHT, 6);
    // The text object holds what the line draws: its box and the one mark hung past it.
    expect(x + width).toBeLessThanOrEqual(RIGHT + EM + 1e-6);
    const svg = faceSvg(layout, null, 800);
    const pictureXs = (/<text x="([^"]+)"/.exec(svg)?.[1] ?? '').split(' ').map(Number);
    expect(pictureXs.at(-1)).toBeCloseTo(RIGHT, 6);
  });
});
