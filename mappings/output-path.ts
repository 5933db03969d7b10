/**
 * Output paths of a mapping: `number`, `holder.id`, `surface.premises`, and list paths —
 * `surface.items[]` (the value is the list) and `surface.items[].name` (the i-th value of the list
 * goes to the i-th item's `name`, so two rules can zip two columns into a list of objects).
 */

import { invisibleNote, shownText } from '../core/invisible-text.js';

/** Paths a mapping writes that are kept beside the license, never in it: no catalog entry has them. */
export const BESIDE_LICENSE_PATHS: ReadonlySet<string> = new Set([
  // The license this one continues, and how (docs/lifecycle.md): the pipeline resolves it to
  // `previousIdentifier`.
  'predecessor.number',
  'predecessor.sourceKey',
  'operation',
  // The holder's contact for expiry reminders (catalog/holder-contact.ts).
  'contact.phone',
  'contact.appUserId',
]);

/** The License paths a mapping may write outside `surface`; `surface.*` is checked by the catalog entry. */
export const DRAFT_PATHS: ReadonlySet<string> = new Set([
  'number',
  'holder.name',
  'holder.idType',
  'holder.id',
  'issueDate',
  'validFrom',
  'validTo',
  'status',
  'areaCode',
  ...BESIDE_LICENSE_PATHS,
]);

// A catalog entry's face fields may have any name (经营项目, sub-item): a segment is any text but
// the path syntax's own `.`, `[`, `]`, spaces, control and format characters. Format characters
// (Unicode Cf: zero-width joiner, bidi overrides, soft hyphen) are invisible: 经营\u200d项目 would
// show as the entry's 经营项目 while writing another field, and a bidi override would turn around
// the reason that names it (Trojan Source, CVE-2021-42574). Not digits alone: a reason's
// `surface.items.0.name` would read as a list item (toRulePath).
const SEGMENT = /^[^.[\]\s\p{Cc}\p{Cf}]+(\[\])?$/u;
const INDEX = /^[0-9]+$/;
// Writing these would reach Object.prototype through a plain object.
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

export interface OutputSegment {
  name: string;
  /** `items[]`: this segment holds a list. */
  list: boolean;
}

export interface OutputPath {
  text: string;
  segments: readonly OutputSegment[];
  /** The path without `[]`, for clash checks: `surface.items.name`. */
  plain: string;
}

function isSegment(s: string): boolean {
  const name = s.replace('[]', '');
  return SEGMENT.test(s) && !FORBIDDEN.has(name) && !INDEX.test(name);
}

/** Parses a path, or returns what is wrong with it. */
export function parseOutputPath(text: string): OutputPath | string {
  const plain = text.replace(/\[\]/g, '');
  if (DRAFT_PATHS.has(text)) {
    return { text, plain, segments: text.split('.').map((name) => ({ name, list: false })) };
  }
  // Such a path shows as a known one (`holder.id`, the entry's `surface.经营项目`): say which
  // character, and where, rather than call it unknown or badly shaped.
  const invisible = invisibleNote(text);
  if (invisible) return `output path \`${shownText(text)}\`: ${invisible}`;
  if (!text.startsWith('surface.')) {
    return `unknown output path \`${text}\`; expected one of ${[...DRAFT_PATHS].join(', ')} or surface.<field>`;
  }
  const raw = text.split('.');
  if (!raw.slice(1).every(isSegment)) {
    return `surface path \`${text}\` must be dot-separated names (no spaces, invisible characters or digits alone), a list marked once with [] (surface.items[].name)`;
  }
  const segments = raw.map((s) => ({ name: s.replace('[]', ''), list: s.endsWith('[]') }));
  if (segments.filter((s) => s.list).length > 1) {
    return `surface path \`${text}\` marks more than one list; one [] per path`;
  }
  return { text, plain, segments };
}

/**
 * The field (`surface.addr`) one path writes as a list of items and the other as an object
 * (`surface.addr[].code`, `surface.addr.city`), or undefined: writePath replaces the one with the
 * other, so whichever rule runs later would drop what the earlier wrote.
 */
export function listShapeClash(a: OutputPath, b: OutputPath): string | undefined {
  const n = Math.min(a.segments.length, b.segments.length);
  for (let i = 0; i < n; i++) {
    const [x, y] = [a.segments[i] as OutputSegment, b.segments[i] as OutputSegment];
    if (x.name !== y.name) return undefined;
    if (x.list !== y.list)
      return a.segments
        .slice(0, i + 1)
        .map((s) => s.name)
        .join('.');
  }
  return undefined;
}

/** True when two paths cannot both be written (one is inside the other, or one lists what the other makes an object). */
export function pathsClash(a: OutputPath, b: OutputPath): boolean {
  return (
    a.plain === b.plain ||
    b.plain.startsWith(`${a.plain}.`) ||
    a.plain.startsWith(`${b.plain}.`) ||
    listShapeClash(a, b) !== undefined
  );
}

type Obj = Record<string, unknown>;

function child(node: Obj, name: string): Obj {
  let next = node[name];
  if (next === null || typeof next !== 'object' || Array.isArray(next)) {
    next = {};
    node[name] = next;
  }
  return next as Obj;
}

function setPlain(target: Obj, segments: readonly OutputSegment[], value: unknown): void {
  let node = target;
  for (let i = 0; i < segments.length - 1; i++) node = child(node, (segments[i] as OutputSegment).name);
  node[(segments[segments.length - 1] as OutputSegment).name] = value;
}

/** Writes `value` at the path into `target`, creating objects and list items on the way. */
export function writePath(target: Obj, path: OutputPath, value: unknown): void {
  const at = path.segments.findIndex((s) => s.list);
  if (at < 0) {
    setPlain(target, path.segments, value);
    return;
  }
  let node = target;
  for (let i = 0; i < at; i++) node = child(node, (path.segments[i] as OutputSegment).name);
  const name = (path.segments[at] as OutputSegment).name;
  // A list path takes a list; a lone value is a list of one, no value an empty list.
  const items = Array.isArray(value) ? value : value === null || value === undefined ? [] : [value];
  const rest = path.segments.slice(at + 1);
  if (rest.length === 0) {
    node[name] = items;
    return;
  }
  const existing = node[name];
  const list: unknown[] = Array.isArray(existing) ? existing : [];
  node[name] = list;
  items.forEach((item, i) => {
    let element = list[i];
    if (element === null || typeof element !== 'object' || Array.isArray(element)) {
      element = {};
      list[i] = element;
    }
    setPlain(element as Obj, rest, item);
  });
}

/** A reason's data path (`surface.items.0.name`) in mapping form (`surface.items[].name`). */
export function toRulePath(dataPath: string): string {
  return dataPath.replace(/\.[0-9]+(?=\.|$)/g, '[]');
}
