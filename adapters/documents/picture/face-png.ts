/**
 * The face picture as PNG: the face's SVG rasterised by resvg (a Rust renderer shipped as a
 * prebuilt package per platform from the npm registry), with the machine's installed fonts plus
 * any font files given. Text needs a CJK face: without one every Chinese glyph draws as a box.
 */
import type { FaceLayout } from '../face/layout.js';
import { faceSvg, type SealPicture } from './face-svg.js';

export interface FacePngOptions {
  /** Dots per inch of the picture. @defaultValue {@link DEFAULT_DPI} */
  dpi?: number;
  /** Font files (TTF/OTF/TTC) to use beside the installed ones. */
  fontFiles?: readonly string[];
  /** The seal's picture for the seal box; null outlines the box instead. */
  seal?: SealPicture | null;
}

/** Enough to read 4 mm text on a screen; a printout would want 300. */
export const DEFAULT_DPI = 150;

export interface FacePng {
  png: Buffer;
  width: number;
  height: number;
}

export async function renderFacePng(layout: FaceLayout, options: FacePngOptions = {}): Promise<FacePng> {
  const dpi = options.dpi ?? DEFAULT_DPI;
  const widthPx = Math.max(1, Math.round((layout.page.width / 25.4) * dpi));
  const svg = faceSvg(layout, options.seal ?? null, widthPx);
  const { Resvg } = await import('@resvg/resvg-js');
  const rendered = new Resvg(svg, {
    background: '#FFFFFF',
    fitTo: { mode: 'width', value: widthPx },
    font: {
      loadSystemFonts: true,
      fontFiles: [...(options.fontFiles ?? [])],
      defaultFontFamily: 'Noto Serif CJK SC',
      serifFamily: 'Noto Serif CJK SC',
      sansSerifFamily: 'Noto Sans CJK SC',
    },
  }).render();
  return { png: rendered.asPng(), width: rendered.width, height: rendered.height };
}
