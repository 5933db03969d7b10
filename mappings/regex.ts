/**
 * Regular expressions of mapping files (`replace`, `when: { matches }`) run on RE2 (the `re2js`
 * pure-JavaScript port), not on the backtracking engine of `RegExp`: matching time grows linearly
 * with the value whatever the pattern, so `^(\w+\s?)*$` on a hostile value cannot hang a worker
 * (with `RegExp` it takes seconds at 28 characters and doubles with each one more).
 *
 * Patterns are written as JavaScript patterns. What RE2 cannot do in linear time — back-references
 * (`\1`), look-ahead and look-behind — is refused when the mapping is compiled, with file:line.
 * `\s` and `.` keep their JavaScript meaning (ideographic space U+3000 is white space; `.` does not
 * match a line break), which RE2 alone would read more narrowly or more widely.
 */
import { RE2JS } from 're2js';

/** A compiled pattern: `test` finds a match anywhere; `replaceAll` expands `$1`, `$<name>`, `$&`, `$$`. */
export interface SafeRegex {
  test(text: string): boolean;
  replaceAll(text: string, replacement: string): string;
  /** How many capturing groups the pattern has. */
  readonly groups: number;
  /** The names of its named groups. */
  readonly names: readonly string[];
}

/**
 * The first reference of `replacement` to a group `re` does not have, as written (`$3`, `$0`,
 * `$<nme>`); undefined when none. JavaScript (and re2js, alike) writes such a reference into the
 * value as it stands, or `$<nme>` as nothing: a slip that would change every value silently.
 * Two digits name a group when it exists (`$10`), else one does (`$1` and a `0`), as JavaScript reads them.
 */
export function missingGroupReference(replacement: string, re: SafeRegex): string | undefined {
  const names = new Set(re.names);
  for (let i = 0; i < replacement.length; i++) {
    if (replacement[i] !== '$') continue;
    const next = replacement.charAt(i + 1);
    if (next === '$') {
      i += 1;
    } else if (/[0-9]/.test(next)) {
      const two = replacement.slice(i + 1, i + 3);
      if (/^[0-9]{2}$/.test(two) && Number(two) >= 1 && Number(two) <= re.groups) i += 2;
      else if (Number(next) === 0 || Number(next) > re.groups) return `$${next}`;
      else i += 1;
    } else if (next === '<' && names.size > 0) {
      // Without named groups JavaScript writes `$<` as it stands, as no slip would.
      const end = replacement.indexOf('>', i + 2);
      if (end < 0) continue;
      const name = replacement.slice(i + 2, end);
      if (!names.has(name)) return `$<${name}>`;
      i = end;
    }
  }
  return undefined;
}

// JavaScript's \s: ECMAScript WhiteSpace and LineTerminator, in RE2 escapes.
const WHITE_SPACE =
  '\\t\\n\\x{0B}\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}';
// JavaScript's `.` without the s flag: anything but a line terminator.
const DOT = '[^\\n\\r\\x{2028}\\x{2029}]';

/**
 * Rewrites the JavaScript-only parts of a pattern RE2 reads differently: `\s`, `\S` and `.`.
 * Returns a message when the pattern uses `\S` inside a class, which RE2 cannot express the
 * JavaScript way.
 */
function jsClasses(pattern: string): string | { problem: string } {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next === 's') out += inClass ? WHITE_SPACE : `[${WHITE_SPACE}]`;
      else if (next === 'S' && !inClass) out += `[^${WHITE_SPACE}]`;
      else if (next === 'S') return { problem: '`\\S` inside `[…]` is not supported; write `(?:[^\\s…])`' };
      else out += `\\${next ?? ''}`;
      i += 1;
    } else if (c === '[' && !inClass) {
      inClass = true;
      out += c;
      // A `]` first in a class (after an optional `^`) is a literal in RE2 but closes it in JavaScript.
      if (pattern[i + 1] === '^') {
        out += '^';
        i += 1;
      }
      if (pattern[i + 1] === ']') return { problem: 'an empty class `[]` or `[^]` is not supported' };
    } else if (c === ']' && inClass) {
      inClass = false;
      out += c;
    } else if (c === '.' && !inClass) {
      out += DOT;
    } else {
      out += c;
    }
  }
  return out;
}

// Literal text, optionally anchored: no quantifier, group or alternation, so a backtracking engine
// does at most (value length × pattern length) steps. Such patterns keep the native engine, which
// is many times faster per call (`;` → `；` runs on every row of the demo mapping).
const PLAIN = /^\^?[^\\^$.|?*+()[\]{}]*\$?$/;

/** Compiles a JavaScript-syntax pattern to a linear-time matcher, or returns why it cannot. */
export function compileRegex(pattern: string): SafeRegex | string {
  if (PLAIN.test(pattern)) {
    const native = new RegExp(pattern, 'gu');
    const once = new RegExp(pattern, 'u');
    return {
      test: (text: string) => once.test(text),
      replaceAll: (text: string, replacement: string) => text.replace(native, replacement),
      // Plain text has no group.
      groups: 0,
      names: [],
    };
  }
  let re: RE2JS;
  try {
    const translated = jsClasses(RE2JS.translateRegExp(pattern));
    if (typeof translated !== 'string') return `unsupported regular expression: ${translated.problem}`;
    re = RE2JS.compile(translated);
  } catch (e) {
    const detail = (e as Error).message.replace(/^error parsing regexp: /, '');
    // Back-references and look-around are what RE2 leaves out to stay linear: say so.
    const why = /\\[1-9]|\(\?<?[=!]/.test(pattern)
      ? '; back-references and look-ahead/look-behind are not supported (matching must stay linear in the value)'
      : '';
    return `invalid regular expression: ${detail}${why}`;
  }
  return {
    test: (text: string) => re.test(text),
    replaceAll: (text: string, replacement: string) => re.matcher(text).replaceAll(replacement),
    groups: re.groupCount(),
    names: Object.keys(re.namedGroups()),
  };
}
