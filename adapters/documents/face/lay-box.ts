/**
 * A box's lines placed on the page: each glyph's advance (OFD DeltaX), the line's left edge (a
 * centred line centred on what it draws) and baseline.
 */
import type { FaceText } from './face-template.js';
import { fitBox, LINE_HEIGHT } from './fit-box.js';
import {
  advanceOf,
  hangingWidth,
  isHangingSpace,
  noLineStart,
  withoutHangingSpaces,
} from './text-measure.js';

/** A laid line: read only, as the lines of a template's fixed texts are shared (and frozen). */
export interface LaidLine {
  /** Left of the first glyph, mm. */
  readonly x: number;
  /** Baseline, mm. */
  readonly baseline: number;
  /** Top of the line box, mm. */
  readonly top: number;
  readonly size: number;
  readonly font: string;
  readonly color: string;
  readonly text: string;
  /** Advance after each glyph but the last, mm (OFD DeltaX). */
  readonly deltas: readonly number[];
  /** Width of the laid text, mm. */
  readonly width: number;
}

/**
 * Width of what a laid line draws, mm: its `width` without the blank at its end (a CHAR(n)
 * value's padding, the space a line wraps at, a value's trailing no-break spaces), which hangs
 * past the box. What a centred line is
 * centred on, and the extent of its text object on the OFD page.
 */
export function drawnWidth(line: LaidLine): number {
  return line.width - hangingWidth(line.text, line.size);
}

/** A box's text laid out: its lines, and whether it was cut (its overflow entry). */
export interface LaidBox {
  lines: LaidLine[];
  overflow: string | undefined;
}

export function layBox(box: FaceText, index: number, text: string): LaidBox {
  const { lines: parts, size, cut } = fitBox(box, text);
  const lineHeight = (box.lineHeight ?? LINE_HEIGHT) * size;
  const lines: LaidLine[] = [];
  for (let n = 0; n < parts.length; n++) {
    const part = parts[n] as string;
    const deltas: number[] = [];
    let width = 0;
    // The spaces before what the line draws last (padding before a closing mark) advance no
    // further than the box's edge: the wrap keeps such a mark on the line (避头) and lets it hang,
    // and drawn after the padding it stood as far past the box as the padding ran (`（王海`, 60
    // spaces and `）` set it 9 em past a 24 em box). So it hangs at the edge, as a mark after text
    // does. Only a mark or a zero-advance character follows spaces past the room (wrap breaks
    // before anything else); the spaces at the line's end hang as they are (hangingWidth).
    const drawnEnd = withoutHangingSpaces(part).length;
    // The advance of the line's last glyph that draws, when it is closing punctuation (避头).
    let closing = 0;
    // DeltaX: the advance after every glyph but the last.
    for (let i = 0; i < part.length; ) {
      const cp = part.codePointAt(i) as number;
      let a = advanceOf(cp) * size;
      if (i < drawnEnd && isHangingSpace(cp) && width + a > box.width + 1e-9)
        a = Math.max(0, box.width - width);
      if (i < drawnEnd && a > 0) closing = noLineStart(cp) ? a : 0;
      i += cp > 0xffff ? 2 : 1;
      if (i < part.length) deltas.push(a);
      width += a;
    }
    // A centred line is centred on what it draws: the spaces at its end hang past the box and
    // draw nothing (wrap-lines.ts breakAt), and a CHAR(n) value's padding (`王海` and 18 spaces) counted in
    // its width drew it off-centre, left of the box when the padding was wider than the room.
    const drawn = width - hangingWidth(part, size);
    // Nor is a closing mark that hangs past the box counted (CSS Text's hanging-punctuation: a
    // hanging glyph is not measured for alignment): centred with it, a full line started half
    // the mark's width left of its box.
    const measured = drawn > box.width + 1e-9 ? Math.max(box.width, drawn - closing) : drawn;
    const top = box.y + n * lineHeight;
    // Frozen, every line alike: a template's fixed lines are shared between layouts, and lines of
    // one shape keep the code that reads them (the OFD page, the picture) on one fast path. Their
    // advances are frozen only where shared (layout.ts: boxesOf, laidField): V8 freezes an array
    // of doubles by boxing each number, a heap object per glyph of every license.
    lines.push(
      Object.freeze({
        x: box.align === 'center' ? box.x + (box.width - measured) / 2 : box.x,
        top,
        // Baseline at 0.88 em below the top of the em box: where CJK fonts put it.
        baseline: top + size * 0.88,
        size,
        font: box.font ?? '宋体',
        color: box.color ?? '#000000',
        text: part,
        deltas,
        width,
      }),
    );
  }
  return { lines, overflow: cut ? `texts[${index}] (${box.field ?? 'text'})` : undefined };
}
