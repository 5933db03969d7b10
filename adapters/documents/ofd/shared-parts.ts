/**
 * Parts whose bytes repeat from one license file to the next — per face template (the page
 * area, the font list) or always (the signature list) — made once: their bytes, their SM3 (a
 * Reference's CheckValue) and their ZIP body (deflate costs about as much to set up as to run on
 * a few hundred bytes). Keyed by the part's full text, so a part is shared only with files whose
 * part is byte for byte the same: nothing of one license can reach another's file.
 *
 * The shared buffers are handed to every document that uses them: never write into a part.
 */
import { hash } from 'node:crypto';
import { type PackedBody, packBody } from '../zip/zip-writer.js';

interface Known {
  sm3: string;
  packed: PackedBody;
}

/** Distinct texts kept; past it the memo starts over (a handful of templates need a few each). */
const CAPACITY = 256;

export class SharedParts {
  readonly #byText = new Map<string, Buffer>();
  readonly #known = new WeakMap<Uint8Array, Known>();

  /** The UTF-8 bytes of `text`: the same buffer for the same text, its SM3 and body worked out once. */
  bytes(text: string): Buffer {
    let data = this.#byText.get(text);
    if (!data) {
      if (this.#byText.size >= CAPACITY) this.#byText.clear();
      data = Buffer.from(text, 'utf8');
      this.#known.set(data, { sm3: sm3Base64(data), packed: packBody(data) });
      this.#byText.set(text, data);
    }
    return data;
  }

  /** Base64 SM3 of a part: remembered for a shared part, computed for any other. */
  sm3(data: Uint8Array): string {
    return this.#known.get(data)?.sm3 ?? sm3Base64(data);
  }

  /** Base64 SM3 of a shared part, or undefined for a part of one file only (its caller hashes it). */
  knownSm3(data: Uint8Array): string | undefined {
    return this.#known.get(data)?.sm3;
  }

  /** The ZIP body of a shared part, or undefined for a part of one file only. */
  packed(data: Uint8Array): PackedBody | undefined {
    return this.#known.get(data)?.packed;
  }
}

/** One-shot `crypto.hash`: no Hash object per part (a few µs less on the few-hundred-byte parts). */
function sm3Base64(data: Uint8Array): string {
  return hash('sm3', data, 'base64');
}

/** The process's memo: OFD building, signing and zipping all look parts up here. */
export const sharedParts = new SharedParts();
