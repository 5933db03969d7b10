// A face picture is drawn on libuv's threads, not the calling one: resvg laying out a face drawn
// with every installed font takes seconds, and drawn on the event loop it held the process for
// all of them, so no timer, signal handler or limit could run until the picture was done (a test
// case's limit could not end it: 577 s in a case of 120). While it is drawn, the event loop turns.
// Needs the Noto CJK fonts (fonts-noto-cjk), as the other face picture tests do.
import { describe, expect, it, vi } from 'vitest';
import { layoutFace } from '../../adapters/documents/face/layout.js';
import { renderFacePng } from '../../adapters/documents/picture/face-png.js';
import { foodLicense, foodTemplate } from './fixtures.js';

/** Whether resvg is drawing: from the call of its renderer to the settling of what it returned. */
const drawing = { now: false, calls: 0 };

// The real renderer, watched: a drawing done on the calling thread (resvg's `render`) never calls
// it, and one that held the loop would let no turn of it run while `now` is true.
vi.mock('@resvg/resvg-js', async (importOriginal) => {
  const real = await importOriginal<typeof import('@resvg/resvg-js')>();
  return {
    ...real,
    renderAsync: (...args: Parameters<typeof real.renderAsync>) => {
      drawing.calls += 1;
      drawing.now = true;
      return real.renderAsync(...args).finally(() => {
        drawing.now = false;
      });
    },
  };
});

/** A seal picture that is an SVG: its fonts are not known, so the face is drawn with every font. */
const SVG_SEAL = {
  type: 'svg',
  data: Buffer.from(
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><circle cx="20" cy="20" r="18" fill="none" stroke="#D00000"/></svg>',
  ),
};

describe('drawing a face picture', () => {
  it('leaves the event loop free while resvg draws', async () => {
    const license = foodLicense(3);
    const face = layoutFace(foodTemplate, license);
    // The holder's line: drawn with every font, each glyph read from the 26 MB serif collection.
    const layout = { ...face, lines: face.lines.filter((l) => l.text.includes(license.holder.name)) };
    expect(layout.lines).toHaveLength(1);
    // Counts the loop's turns (its timers phase) that ran while resvg was drawing. A timer each
    // millisecond, not setImmediate: that spun the thread for the whole drawing, most of this
    // file's CPU, and a drawing that held the loop lets neither run.
    let turnsWhileDrawing = 0;
    let going = true;
    const turn = (): void => {
      if (drawing.now) turnsWhileDrawing += 1;
      if (going) setTimeout(turn, 1);
    };
    setTimeout(turn, 1);
    try {
      const { png } = await renderFacePng(layout, { dpi: 60, seal: SVG_SEAL });
      expect(png.byteLength).toBeGreaterThan(0);
    } finally {
      going = false;
    }
    expect(drawing.calls).toBe(1);
    expect(turnsWhileDrawing).toBeGreaterThan(0);
  }, 120_000);
});
