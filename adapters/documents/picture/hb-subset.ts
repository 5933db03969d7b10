/**
 * HarfBuzz's subsetter (`hb-subset`, the WebAssembly build the `harfbuzzjs` package ships) over
 * a font file held in the module's memory: cut one face of a file (a TTC holds several) down to
 * the glyphs of a set of characters, keeping its names, metrics and layout tables.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

interface HbSubsetExports {
  memory: { buffer: ArrayBuffer };
  malloc(size: number): number;
  free(ptr: number): void;
  hb_blob_create(data: number, length: number, mode: number, user: number, destroy: number): number;
  hb_blob_destroy(blob: number): void;
  hb_blob_get_data(blob: number, length: number): number;
  hb_blob_get_length(blob: number): number;
  hb_face_create(blob: number, index: number): number;
  hb_face_get_empty(): number;
  hb_face_destroy(face: number): void;
  hb_face_reference_blob(face: number): number;
  hb_set_add(set: number, value: number): void;
  hb_set_clear(set: number): void;
  hb_set_invert(set: number): void;
  hb_subset_input_create_or_fail(): number;
  hb_subset_input_destroy(input: number): void;
  hb_subset_input_unicode_set(input: number): number;
  hb_subset_input_set(input: number, which: number): number;
  hb_subset_or_fail(face: number, input: number): number;
}

const HB_MEMORY_MODE_WRITABLE = 2;
const HB_SUBSET_SETS_NAME_ID = 4;
const HB_SUBSET_SETS_NAME_LANG_ID = 5;

// The compiler's library here declares no WebAssembly global; Node has it.
interface WasmModule {
  readonly __wasmModule: unique symbol;
}
const wasm = (
  globalThis as unknown as {
    WebAssembly: {
      compile(bytes: Uint8Array): Promise<WasmModule>;
      instantiate(module: WasmModule): Promise<{ exports: unknown }>;
    };
  }
).WebAssembly;

// The compiled code (a few MB) is kept for the process: compiling costs ~0.5 s of CPU. The
// instance is what holds the memory, a fixed 64 MiB (1040 pages, no growth), as soon as a font
// file has been copied in; `releaseSubsetter` lets it go.
let compiled: Promise<WasmModule> | undefined;
let instance: Promise<HbSubsetExports> | undefined;
let current: HbSubsetExports | undefined;
let openFiles = 0;

function subsetModule(): Promise<HbSubsetExports> {
  instance ??= (async () => {
    compiled ??= (async () => {
      const path = createRequire(import.meta.url).resolve('harfbuzzjs/dist/harfbuzz-subset.wasm');
      return wasm.compile(await readFile(path));
    })();
    const exports = (await wasm.instantiate(await compiled)).exports as HbSubsetExports;
    current = exports;
    return exports;
  })();
  return instance;
}

/**
 * Drops the subsetter's instance when no font file is loaded in it, so that its memory is given
 * back to the system at V8's next garbage collection; the next `loadFontFile` makes a new one
 * from the compiled code (~7 ms). False when a font file is still loaded.
 */
export function releaseSubsetter(): boolean {
  if (openFiles > 0) return false;
  instance = undefined;
  current = undefined;
  return true;
}

/** Bytes of WebAssembly memory the process holds for the subsetter: 0 or 65 MiB. */
export function subsetterMemoryBytes(): number {
  return current ? current.memory.buffer.byteLength : 0;
}

/** A font file loaded into the subsetter; `close` it to give its memory back. */
export interface LoadedFontFile {
  /** Faces in the file: 1 for TTF/OTF, several for a collection. */
  readonly faceCount: number;
  /**
   * The face at `index` cut to the glyphs of `codePoints` (and what its layout rules reach from
   * them), every name kept, as an OpenType file; null if HarfBuzz cannot subset it.
   */
  subset(index: number, codePoints: Iterable<number>): Uint8Array | null;
  close(): void;
}

export async function loadFontFile(data: Uint8Array): Promise<LoadedFontFile> {
  const hb = await subsetModule();
  const ptr = hb.malloc(data.byteLength);
  if (!ptr) throw new Error(`font subset: no room for a font file of ${data.byteLength} bytes in 64 MiB`);
  openFiles++;
  new Uint8Array(hb.memory.buffer).set(data, ptr);
  const blob = hb.hb_blob_create(ptr, data.byteLength, HB_MEMORY_MODE_WRITABLE, 0, 0);
  const empty = hb.hb_face_get_empty();
  // A collection (TTC/OTC) starts `ttcf` and gives its number of faces at byte 8.
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const collection = data.byteLength >= 12 && view.getUint32(0) === 0x74746366;
  const faceCount = collection ? view.getUint32(8) : 1;
  let open = true;
  return {
    faceCount,
    subset(index, codePoints) {
      const face = hb.hb_face_create(blob, index);
      const input = hb.hb_subset_input_create_or_fail();
      try {
        if (!input || face === empty) return null;
        const unicodes = hb.hb_subset_input_unicode_set(input);
        for (const cp of codePoints) hb.hb_set_add(unicodes, cp);
        // Every name in every language: the renderer finds a face by any of its family names.
        for (const which of [HB_SUBSET_SETS_NAME_ID, HB_SUBSET_SETS_NAME_LANG_ID]) {
          const set = hb.hb_subset_input_set(input, which);
          hb.hb_set_clear(set);
          hb.hb_set_invert(set);
        }
        const result = hb.hb_subset_or_fail(face, input);
        if (!result) return null;
        const out = hb.hb_face_reference_blob(result);
        const bytes = new Uint8Array(
          hb.memory.buffer,
          hb.hb_blob_get_data(out, 0),
          hb.hb_blob_get_length(out),
        );
        const copy = Uint8Array.from(bytes);
        hb.hb_blob_destroy(out);
        hb.hb_face_destroy(result);
        return copy;
      } finally {
        if (input) hb.hb_subset_input_destroy(input);
        hb.hb_face_destroy(face);
      }
    },
    close() {
      if (!open) return;
      open = false;
      openFiles--;
      hb.hb_blob_destroy(blob);
      hb.free(ptr);
    },
  };
}
