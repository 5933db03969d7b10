/**
 * The face picture as PNG: the face's SVG rasterised by resvg (a Rust renderer shipped as a
 * prebuilt package per platform from the npm registry), with the machine's installed fonts plus
 * any font files given. Text needs a CJK face: without one every Chinese glyph draws as a box.
 * When the faces the text is drawn with are certain, resvg is handed only those, cut to the
 * characters drawn (face-font-subset.ts): the same picture at a fraction of the CPU.
 */
import { type Logger, rootLogger } from '../../../core/logger.js';
import type { FaceLayout } from '../face/layout.js';
import { FontCutError, subsetFontsFor } from './face-font-subset.js';
import { faceSvg, faceTextRuns, type SealPicture } from './face-svg.js';

export interface FacePngOptions {
  /** Dots per inch of the picture. @defaultValue {@link DEFAULT_DPI} */
  dpi?: number;
  /** Font files (TTF/OTF/TTC) to use beside the installed ones. */
  fontFiles?: readonly string[];
  /** The seal's picture for the seal box; null outlines the box instead. */
  seal?: SealPicture | null;
  /** Where a font that cannot be cut is told. @defaultValue the process's root logger */
  logger?: Logger;
}

/** resvg-js points every generic family (serif, sans-serif) at this one when it is installed. */
const DEFAULT_FAMILY = 'Noto Serif CJK SC';

/** Enough to read 4 mm text on a screen; a printout would want 300. */
export const DEFAULT_DPI = 150;

// Each font file (and the temporary folder) is told about once a process: every picture would repeat it.
const told = new Set<string>();
const MAX_TOLD = 1000;

/** A warning that pictures are drawn with every font, at the cost of several times the CPU. */
function tellDrawnWithEveryFont(logger: Logger, err: unknown): void {
  const file = err instanceof FontCutError ? err.file : null;
  const key = file ?? '';
  if (told.has(key) || told.size >= MAX_TOLD) return;
  told.add(key);
  const costs = 'drawn with every installed font instead, at several times the CPU (told once a process)';
  if (file !== null) {
    logger.warn(
      { file, err: (err as FontCutError).cause },
      `${(err as Error).message}: faces of it are ${costs}`,
    );
  } else {
    logger.warn({ err }, `face picture: the cut fonts could not be written: faces are ${costs}`);
  }
}

export interface FacePng {
  png: Buffer;
  width: number;
  height: number;
}

export async function renderFacePng(layout: FaceLayout, options: FacePngOptions = {}): Promise<FacePng> {
  const dpi = options.dpi ?? DEFAULT_DPI;
  const widthPx = Math.max(1, Math.round((layout.page.width / 25.4) * dpi));
  const svg = faceSvg(layout, options.seal ?? null, widthPx);
  const { renderAsync } = await import('@resvg/resvg-js');
  const runs = faceTextRuns(layout, options.seal ?? null);
  // Cutting fonts only saves time: if it cannot be done (a font HarfBuzz refuses, no temporary
  // folder), the face is drawn with every font, as it would be without it, and a warning says so.
  const subset = runs
    ? await subsetFontsFor(runs, options.fontFiles ?? [], DEFAULT_FAMILY).catch((err: unknown) => {
        tellDrawnWithEveryFont(options.logger ?? rootLogger(), err);
        return null;
      })
    : null;
  try {
    // On libuv's threads: the same renderer and options as `new Resvg(svg, …).render()`, byte for
    // byte, but a face drawn with every font takes seconds, which on the calling thread held the
    // event loop (no timer, signal handler or limit ran) for all of them.
    const rendered = await renderAsync(svg, {
      background: '#FFFFFF',
      fitTo: { mode: 'width', value: widthPx },
      font: {
        loadSystemFonts: !subset || subset.withInstalledFonts,
        // The cut files first: resvg loads the given files before the installed ones, and a
        // run's family then resolves to its cut face (face-font-subset.ts).
        fontFiles: [
          ...(subset?.files ?? []),
          ...(!subset || subset.withInstalledFonts ? (options.fontFiles ?? []) : []),
        ],
        defaultFontFamily: DEFAULT_FAMILY,
        serifFamily: DEFAULT_FAMILY,
        sansSerifFamily: 'Noto Sans CJK SC',
      },
    });
    return { png: rendered.asPng(), width: rendered.width, height: rendered.height };
  } finally {
    await subset?.dispose();
  }
}
