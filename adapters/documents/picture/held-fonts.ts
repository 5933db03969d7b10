/**
 * The font files HarfBuzz cuts from, held loaded in its WebAssembly memory from one face picture
 * to the next: reading a 26 MB collection and copying it in again for every picture cost more
 * CPU than the cut. A file is known by its path and read again when it changes or another takes
 * its place (file-stamp.ts). At most {@link HELD_FONT_BYTES} are held (the least recently used
 * go first), and after {@link RELEASE_AFTER_IDLE_MS} without a cut the files and the
 * subsetter's 64 MiB of memory are let go. Cuts run one at a time in the process: each needs room in that memory.
 */
import { readFile, stat } from 'node:fs/promises';
import { fileStamp } from './file-stamp.js';
import { type LoadedFontFile, loadFontFile, releaseSubsetter } from './hb-subset.js';

/**
 * Font bytes held at most. The memory is a fixed 64 MiB (65 with HarfBuzz's own data) and a cut
 * needs room beside the files: the two Noto CJK collections a face uses (26 MB and 19 MB) fit.
 */
export const HELD_FONT_BYTES = 48 * 2 ** 20;

/** How long the files and the subsetter's memory stay after the last cut. */
export const RELEASE_AFTER_IDLE_MS = 30_000;

export interface HeldFonts {
  /** The font file at `path`, loaded. */
  file(path: string): Promise<LoadedFontFile>;
  /** Lets go every held file but `path`, to make room for a cut; false when there was none. */
  releaseOthers(path: string): boolean;
}

interface Held {
  stamp: string;
  bytes: number;
  loaded: LoadedFontFile;
}

// In order of use: the least recently used first.
const held = new Map<string, Held>();
let idleTimer: ReturnType<typeof setTimeout> | undefined;
let cutting: Promise<unknown> = Promise.resolve();

function drop(path: string): void {
  const h = held.get(path);
  if (!h) return;
  held.delete(path);
  h.loaded.close();
}

function releaseOthers(path: string): boolean {
  let any = false;
  for (const other of [...held.keys()]) {
    if (other === path) continue;
    drop(other);
    any = true;
  }
  return any;
}

async function file(path: string): Promise<LoadedFontFile> {
  const st = await stat(path);
  const stamp = fileStamp(st);
  const known = held.get(path);
  if (known?.stamp === stamp) {
    held.delete(path);
    held.set(path, known);
    return known.loaded;
  }
  drop(path);
  let bytes = st.size;
  for (const h of held.values()) bytes += h.bytes;
  for (const [other, h] of [...held]) {
    if (bytes <= HELD_FONT_BYTES) break;
    bytes -= h.bytes;
    drop(other);
  }
  const data = await readFile(path);
  let fresh = false;
  for (;;) {
    try {
      const loaded = await loadFontFile(data);
      held.set(path, { stamp, bytes: data.byteLength, loaded });
      return loaded;
    } catch (err) {
      // No room in one piece: HarfBuzz keeps small objects it makes on a first cut for good,
      // wherever they fell between files, so bytes free are not one free run. The least
      // recently used files go, then the whole memory for a new instance, as in a new process.
      const [lru] = held.keys();
      if (lru !== undefined) drop(lru);
      else if (!fresh && releaseSubsetter()) fresh = true;
      else throw err;
    }
  }
}

const fonts: HeldFonts = { file, releaseOthers };

function releaseNow(): void {
  for (const path of [...held.keys()]) drop(path);
  releaseSubsetter();
}

function oneAtATime<T>(work: () => Promise<T>): Promise<T> {
  const run = cutting.then(work, work);
  cutting = run.catch(() => undefined);
  return run;
}

/**
 * Runs `work` (cuts from held font files) when no other is running, then holds the files until
 * the next one or until the process has been idle for {@link RELEASE_AFTER_IDLE_MS}.
 */
export function withHeldFonts<T>(work: (fonts: HeldFonts) => Promise<T>): Promise<T> {
  return oneAtATime(async () => {
    clearTimeout(idleTimer);
    try {
      return await work(fonts);
    } finally {
      idleTimer = setTimeout(() => void releaseHeldFonts(), RELEASE_AFTER_IDLE_MS);
      // The timer never keeps a process (`licbridge render`) alive.
      idleTimer.unref();
    }
  });
}

/**
 * Lets go of every held font file and of the subsetter's memory now (after the cut running, if
 * any); the next cut reads its files again. V8 gives the memory back at its next collection.
 */
export function releaseHeldFonts(): Promise<void> {
  return oneAtATime(async () => {
    clearTimeout(idleTimer);
    releaseNow();
  });
}
