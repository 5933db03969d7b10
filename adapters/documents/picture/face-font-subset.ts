/**
 * The fonts a face picture needs, cut to the characters it draws. resvg (fontdb 0.14) reads a
 * glyph's outline by opening its font file again for every glyph; on a 20-30 MB CJK collection
 * that is most of a picture's CPU time. Handed instead one small file per face it uses, holding
 * the face's names, metrics, layout tables and just the glyphs drawn, it draws the same picture.
 *
 * Only when the outcome is certain: every text run's font is the one resvg would pick among all
 * faces (the first family of the run's list, as usvg reads it, that some face carries, and of
 * that family one regular face, as the runs ask for no weight or style). Otherwise (no such face,
 * several candidates) the caller draws with every font, as before: `null`.
 *
 * A character a run's face lacks resvg looks for in every other face, in its database's order
 * (usvg 0.34 `find_font_for_char`: the first face not used yet that has it). The cut faces are
 * then handed to resvg before every installed font (`withInstalledFonts`): resvg loads the given
 * files first, so a run's family resolves to its cut face, and the lacking character, which no
 * cut face has, is found in the installed face it was found in before (the run's full face lacks
 * it too). Drawn with every font instead, resvg read the 26 MB CJK file again for each glyph of
 * the face. When another cut face has a lacking character, resvg would take it from there, ahead
 * of the face it took before: `null`.
 */
import { realpathSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FontFace, fontFaces } from './font-scan.js';
import { type HeldFonts, withHeldFonts } from './held-fonts.js';
import { mappedCodePoints } from './sfnt-info.js';

/** A run of text and its `font-family` attribute, as the SVG says it. */
export interface TextRun {
  fontFamily: string;
  text: string;
}

export interface SubsetFonts {
  files: string[];
  /** Some face lacks a character: draw with these files first, then every installed font. */
  withInstalledFonts: boolean;
  /** Removes the files. */
  dispose(): Promise<void>;
}

const GENERIC = new Set(['serif', 'sans-serif', 'cursive', 'fantasy', 'monospace']);

/**
 * The families usvg 0.34 (`convert_font`) reads from a `font-family` attribute, and the one it
 * adds: it splits at commas and strips a quote only at the ends of the untrimmed piece, so in
 * `'宋体', 'Noto Serif CJK SC'` the second name keeps its opening quote and matches no face;
 * then it appends `serif` as the last resort. An empty list is the default family.
 */
export function usvgFamilies(fontFamily: string, defaultFamily: string): string[] {
  const families: string[] = [];
  for (let piece of fontFamily.split(',')) {
    if (piece.startsWith("'") || piece.startsWith('"')) piece = piece.slice(1);
    if (piece.endsWith("'") || piece.endsWith('"')) piece = piece.slice(0, -1);
    piece = piece.trim();
    if (piece !== '') families.push(piece);
  }
  if (families.length === 0) families.push(defaultFamily);
  families.push('serif');
  return families;
}

function realFile(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/**
 * The face resvg draws a run with, or null when that is not certain. @resvg/resvg-js points every
 * generic family at its `defaultFontFamily` when some face carries that name.
 */
export function resolveFace(
  families: readonly string[],
  faces: readonly FontFace[],
  defaultFamily: string,
): FontFace | null {
  for (const family of families) {
    const name = GENERIC.has(family) ? defaultFamily : family;
    const candidates = faces.filter((f) => f.families.includes(name));
    if (candidates.length === 0) {
      // A generic family with the default absent falls to the database's first face: not followed.
      if (GENERIC.has(family)) return null;
      continue;
    }
    const regular = candidates.filter((f) => f.regular);
    const distinct = new Set(regular.map((f) => `${realFile(f.file)}#${f.index}`));
    return distinct.size === 1 ? (regular[0] as FontFace) : null;
  }
  return null;
}

interface Wanted {
  face: FontFace;
  codePoints: Set<number>;
}

/**
 * A font file HarfBuzz could not cut (unreadable, refused, too large for its memory): the picture
 * is drawn with every font. Names the file and what failed, never the characters cut.
 */
export class FontCutError extends Error {
  constructor(
    readonly file: string,
    cause: unknown,
  ) {
    super(`face picture: font file ${file} could not be cut: ${(cause as Error)?.message ?? String(cause)}`, {
      cause,
    });
    this.name = 'FontCutError';
  }
}

interface CutFaces {
  fonts: Uint8Array[];
  /** The characters of each cut, as it maps them. */
  mapped: Set<number>[];
  /** Characters a face lacks (a cut does not map them): resvg looks for them in other faces. */
  lacking: Set<number>;
}

/** Each wanted face cut. Throws FontCutError when a file cannot be cut. */
async function cutFaces(byFile: ReadonlyMap<string, readonly Wanted[]>, held: HeldFonts): Promise<CutFaces> {
  const cut: CutFaces = { fonts: [], mapped: [], lacking: new Set() };
  for (const [file, entries] of byFile) {
    try {
      const loaded = await held.file(file);
      for (const { face, codePoints } of entries) {
        let font = loaded.subset(face.index, codePoints);
        // A cut short of memory beside the other held files is tried again alone, as it was made before.
        if (!font && held.releaseOthers(file)) font = loaded.subset(face.index, codePoints);
        if (!font) throw new Error(`HarfBuzz refused to cut face ${face.index}`);
        const has = mappedCodePoints(font);
        for (const cp of codePoints) if (!has.has(cp)) cut.lacking.add(cp);
        cut.fonts.push(font);
        cut.mapped.push(has);
      }
    } catch (err) {
      throw new FontCutError(file, err);
    }
  }
  return cut;
}

/** Whether some cut face has a character another face lacks (see the module's comment). */
function lackingCutElsewhere(cut: CutFaces): boolean {
  for (const cp of cut.lacking) if (cut.mapped.some((has) => has.has(cp))) return true;
  return false;
}

/**
 * Subset fonts for the runs, written to a fresh temporary folder, or null when the picture must
 * be drawn with every font (see the module's comment). Throws FontCutError when a font file
 * cannot be cut, and the write's error when the folder or a file cannot be written.
 */
export async function subsetFontsFor(
  runs: readonly TextRun[],
  fontFiles: readonly string[],
  defaultFamily: string,
): Promise<SubsetFonts | null> {
  const faces = fontFaces(fontFiles);
  const wanted = new Map<string, Wanted>();
  for (const run of runs) {
    const face = resolveFace(usvgFamilies(run.fontFamily, defaultFamily), faces, defaultFamily);
    if (!face) return null;
    const key = `${face.file}#${face.index}`;
    const entry = wanted.get(key) ?? { face, codePoints: new Set<number>() };
    for (const ch of run.text) entry.codePoints.add(ch.codePointAt(0) as number);
    wanted.set(key, entry);
  }
  const byFile = new Map<string, Wanted[]>();
  for (const w of wanted.values()) byFile.set(w.face.file, [...(byFile.get(w.face.file) ?? []), w]);
  const cut = await withHeldFonts((held) => cutFaces(byFile, held));
  if (lackingCutElsewhere(cut)) return null;
  const fonts = cut.fonts;
  // mkdtemp makes the folder owner-only (0700) under a fresh name: no render sees another's files.
  const dir = await mkdtemp(join(tmpdir(), 'licbridge-face-'));
  const dispose = () => rm(dir, { recursive: true, force: true });
  const files = fonts.map((_, i) => join(dir, `face-${i}.otf`));
  try {
    await Promise.all(fonts.map((font, i) => writeFile(files[i] as string, font)));
  } catch (err) {
    // A full disk: the picture is drawn with every font, and the folder must not stay behind.
    await dispose();
    throw err;
  }
  return { files, withInstalledFonts: cut.lacking.size > 0, dispose };
}
