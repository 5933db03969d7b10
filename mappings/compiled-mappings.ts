/**
 * Compiled mappings kept by exactly what they were compiled from: the mapping file's path and
 * text, and the text (or the reason it could not be read) of every dictionary file it names. A
 * process compiles the same mapping again and again (each run's runtime, a long-running scheduler,
 * a reconcile); the compiled mapping is a frozen object of pure functions of those inputs, so equal
 * inputs may reuse it. Anything read differently (one byte of the mapping or of a dictionary, a
 * dictionary gone or no longer UTF-8) compiles again. A compile that fails keeps nothing, so a bad
 * mapping fails the same way every time.
 */
import type { Problem } from '../core/errors.js';
import { RecentMap } from '../core/recent-map.js';
import type { CompiledMapping } from './types.js';

/** What a mapping file's dictionary files read as: texts, reasons unreadable, and the damaged ones' problems. */
export interface DictionaryReads {
  files: ReadonlyMap<string, string>;
  unreadable: ReadonlyMap<string, string>;
  damaged: ReadonlyMap<string, Problem>;
}

interface Held {
  /** The dictionary files the mapping text names (a function of its text and path alone). */
  dictionaries: readonly string[];
  /** The dictionaries as they read when it was compiled (`readsKey`). */
  reads: string;
  mapping: CompiledMapping;
}

/**
 * At most this many mappings are kept (least recently used goes first): a long-running process
 * that reloads edited mappings must not hold every version it ever compiled.
 */
export const CACHED_MAPPINGS = 16;

const held = new RecentMap<string, Held>(CACHED_MAPPINGS);

// A NUL cannot occur in a path; JSON keeps the text's every character.
const keyOf = (file: string, text: string): string => `${file}\u0000${text}`;

/** The dictionary reads as one string: equal only when every path read the same. */
export function readsKey(reads: DictionaryReads): string {
  const sorted = <V>(m: ReadonlyMap<string, V>) => [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([sorted(reads.files), sorted(reads.unreadable), sorted(reads.damaged)]);
}

/** The dictionary files an earlier compile of this very text of `file` named; undefined when none is held. */
export function heldDictionaries(file: string, text: string): readonly string[] | undefined {
  return held.peek(keyOf(file, text))?.dictionaries;
}

/** The mapping compiled from this text of `file` with dictionaries that read as `reads`, if held. */
export function heldMapping(file: string, text: string, reads: string): CompiledMapping | undefined {
  const key = keyOf(file, text);
  const hit = held.peek(key);
  if (!hit || hit.reads !== reads) return undefined;
  return held.get(key)?.mapping;
}

/** Keeps a mapping compiled from this text of `file`, its `dictionaries` read as `reads`. */
export function keepMapping(
  file: string,
  text: string,
  dictionaries: readonly string[],
  reads: string,
  mapping: CompiledMapping,
): void {
  held.set(keyOf(file, text), { dictionaries: [...dictionaries], reads, mapping });
}
