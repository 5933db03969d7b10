/**
 * The names a catalog entry gives (the license type's, its defining body's, its related items',
 * and each face field's) hold no control character. A catalog is written by hand or by `catalog
 * pull` from a platform's answer, and these names are printed (`catalog check`, `render`, the face
 * of every license of the type) and sent on: an ESC in one is an escape sequence a terminal obeys
 * (an OSC sequence sets the window title), a line break a line of its choosing. Nor an invisible
 * format character (Unicode Cf): a bidi override turns the rest of the name around wherever it is
 * shown, the face of a license too (Trojan Source, CVE-2021-42574), and a zero-width space makes
 * two names that look the same differ. Refused at load, at the name, as every other catalog
 * problem is.
 */
import type { Problem } from '../core/errors.js';
import { CONTROL, codePointName, firstInvisible, shownText } from '../core/invisible-text.js';
import { problemAt, type YamlPath, type YamlSource } from './yaml-source.js';

type Place = { path: YamlPath; key: boolean; what: string; text: string };

const record = (v: unknown): Record<string, unknown> | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

/** Each face field's name in a surface schema, nested objects and lists of objects too. */
function fieldNames(schema: unknown, path: YamlPath, out: Place[]): void {
  const s = record(schema);
  if (!s) return;
  const properties = record(s.properties);
  for (const [name, sub] of Object.entries(properties ?? {})) {
    out.push({ path: [...path, 'properties', name], key: true, what: 'face field name', text: name });
    fieldNames(sub, [...path, 'properties', name], out);
  }
  if (Array.isArray(s.items)) {
    for (const [i, item] of s.items.entries()) fieldNames(item, [...path, 'items', i], out);
  } else fieldNames(s.items, [...path, 'items'], out);
}

/** The names of an entry (parsed, its shape already checked) to look at, with where each stands. */
function names(data: Record<string, unknown>): Place[] {
  const out: Place[] = [];
  const text = (path: YamlPath, what: string, v: unknown) => {
    if (typeof v === 'string') out.push({ path, key: false, what, text: v });
  };
  text(['name'], 'license type name', data.name);
  text(['defineAuthority', 'name'], 'defining body name', record(data.defineAuthority)?.name);
  if (Array.isArray(data.relatedItems)) {
    for (const [i, item] of data.relatedItems.entries())
      text(['relatedItems', i, 'name'], 'related item name', record(item)?.name);
  }
  fieldNames(data.surface, ['surface'], out);
  return out;
}

/**
 * A problem at each name holding an invisible format character (Unicode Cf: bidi marks and
 * overrides, zero-width characters, the byte order mark) or a control character (Unicode Cc: C0,
 * DEL, C1).
 */
export function entryNameProblems(src: YamlSource, data: unknown): Problem[] {
  const entry = record(data);
  if (!entry) return [];
  return names(entry).flatMap(({ path, key, what, text }) => {
    const hit = firstInvisible(text);
    if (!hit) return [];
    const [kind, effect] = CONTROL.test(hit.ch)
      ? ['a control character', 'a terminal would obey it']
      : ['an invisible character', 'it would show as nothing, or turn the text after it around,'];
    return [
      problemAt(
        src,
        path,
        `${what} \`${shownText(text)}\` holds ${codePointName(hit.ch)}, ${kind}, at character ${hit.at}: ${effect} where the name is printed, and a platform receive it; delete it (a copy from a platform's answer or a document brings it along)`,
        key,
      ),
    ];
  });
}
