/**
 * What a face template's words may hold. A field name is looked up part by part, split at its
 * dots (layout.ts `valueAt`), as a mapping names the field it writes (mappings/output-path.ts):
 * a part is any text but `.`, `[`, `]`, spaces, control and invisible format characters, and is
 * not digits alone. Format characters (Unicode Cf: zero-width space and joiners, the byte order
 * mark, bidi marks and overrides, the soft hyphen) show as nothing: `holder.id` with a zero-width
 * space after it looks like `holder.id` in an editor and in the error that names it, and matched
 * no field — or, copied with the name into the `surface` schema, a field no mapping can write, so
 * the box printed blank on every sealed license. In fixed text, a prefix or a join they print
 * nothing where the reader sees nothing either, and a bidi override turns around what follows it
 * (Trojan Source, CVE-2021-42574). Each is named by its code point and where it stands
 * (core/invisible-text.ts).
 */

import { codePointName, firstInvisible, firstMatch, INVISIBLE, shownText } from '../core/invisible-text.js';

/**
 * Why fixed text of a box (`text`, `prefix`, `join`, `font`) may not be printed as written: it
 * holds an invisible format character. Null when it holds none.
 */
export function invisibleTextProblem(key: string, text: string): string | null {
  const hit = firstMatch(text, INVISIBLE);
  if (!hit) return null;
  return `\`${key}\` holds ${codePointName(hit.ch)}, an invisible character, at character ${hit.at}: it prints nothing where a reader sees nothing${isBidi(hit.ch) ? ' and turns around the text after it' : ''}; delete it (editors hide it, a copy from a document or web page brings it along)`;
}

const isBidi = (ch: string) => /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/.test(ch);

// The characters a name part may not hold, tried in this order for the message (after the
// invisible and control characters).
const SPACE = /\s/u;
const BRACKET = /[[\]]/;
const DIGITS = /^[0-9]+$/;
// As a mapping refuses them (mappings/output-path.ts): a lookup by such a name reaches what every
// object has (`surface.constructor` read Object itself, printed as its source text).
const RESERVED: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Why `field` cannot name a license field as layout looks it up, or null: an empty part between
 * dots, an invisible or control character, a space, brackets, a part of digits alone, a reserved
 * name (`constructor`). Says what
 * to write instead. Whether the field exists is asked of the surface schema afterwards.
 */
export function faceFieldNameProblem(field: string): string | null {
  const shown = shownField(field);
  const invisible = firstInvisible(field);
  if (invisible) {
    return `field ${shown} holds ${codePointName(invisible.ch)}, an invisible character, at character ${invisible.at}: it makes the name match no field, though it looks like one; delete it (editors hide it, a copy from a document or web page brings it along)`;
  }
  const space = firstMatch(field, SPACE);
  if (space) {
    return `field ${shown} holds a space (${codePointName(space.ch)}) at character ${space.at}: field names hold no spaces; write the name as the \`surface\` schema has it, without spaces`;
  }
  if (BRACKET.test(field)) {
    return `field ${shown} holds \`[\` or \`]\`: a box cannot pick an item of a list; it prints a list whole, its items joined by \`join\` (default 、), so name the list itself (\`surface.businessItems\`), or a field inside an object face field with dots (\`surface.address.city\`)`;
  }
  const parts = field.split('.');
  if (parts.some((p) => p === '')) {
    return `field ${shown} has an empty name ${field.startsWith('.') ? 'before its first dot' : field.endsWith('.') ? 'after its last dot' : 'between two dots'}: name the field as \`surface.premises\` or \`holder.name\`, one dot between names`;
  }
  const index = parts.find((p) => DIGITS.test(p));
  if (index !== undefined) {
    return `field ${shown} has a name of digits alone, \`${index}\`, which would pick an item of a list: a box prints a list whole, its items joined by \`join\`; a face field named with digits alone cannot be written by a mapping either, so name it with a letter in the \`surface\` schema (\`no${index}\`)`;
  }
  const reserved = parts.find((p) => RESERVED.has(p));
  if (reserved !== undefined) {
    return `field ${shown} has the reserved name \`${reserved}\`, which no mapping can write (the box would print what every object holds under that name, not a value of the license); name the face field otherwise in the \`surface\` schema`;
  }
  return null;
}

/** The field name in backticks, each invisible or control character written as `<U+200B>` so the message shows where it is. */
function shownField(field: string): string {
  return `\`${shownText(field)}\``;
}
