// A face picture is drawn on libuv's threads, not the calling one: resvg laying out a face drawn
// with every installed font takes seconds, and drawn on the event loop it held the process for
// all of them, so no timer, signal handler or limit could run until the picture was done (a test
// case's limit could not end it: 577 s in a case of 120). While it is drawn, the event loop waits.
// Needs the Noto CJK fonts (fonts-noto-cjk), as the other face picture tests do.
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { layoutFace } from '../../adapters/documents/face/layout.js';
import { renderFacePng } from '../../adapters/documents/picture/face-png.js';
import { foodLicense, foodTemplate } from './fixtures.js';

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
    const start = performance.eventLoopUtilization();
    const { png } = await renderFacePng(layout, { dpi: 60, seal: SVG_SEAL });
    const used = performance.eventLoopUtilization(start);
    expect(png.byteLength).toBeGreaterThan(0);
    // The share of the draw's time the loop spent running code rather than waiting: ~1 when
    // resvg drew on it, a few hundredths when it waits for the thread (building the SVG).
    expect(used.utilization).toBeLessThan(0.5);
  }, 120_000);
});
