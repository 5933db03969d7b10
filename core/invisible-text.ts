/**
 * Names the invisible characters a message would otherwise show as nothing. Format characters
 * (Unicode Cf: zero-width space and joiners, the byte order mark, bidi marks and overrides, the
 * soft hyphen) and control characters print nothing: a key `cursor` with a zero-width space after
 * it looks like `cursor` in an editor and in the message that calls it unknown, and a bidi
 * override turns around the text after it (Trojan Source, CVE-2021-42574). Such text is written
 * with each one as `<U+200B>`, and the first is named by its code point and where it stands.
 */

/** The invisible characters met most, by code point, for the message. */
const NAMES: Readonly<Record<number, string>> = {
  173: 'SOFT HYPHEN',
  1564: 'ARABIC LETTER MARK',
  6158: 'MONGOLIAN VOWEL SEPARATOR',
  8203: 'ZERO WIDTH SPACE',
  8204: 'ZERO WIDTH NON-JOINER',
  8205: 'ZERO WIDTH JOINER',
  8206: 'LEFT-TO-RIGHT MARK',
  8207: 'RIGHT-TO-LEFT MARK',
  8234: 'LEFT-TO-RIGHT EMBEDDING',
  8235: 'RIGHT-TO-LEFT EMBEDDING',
  8236: 'POP DIRECTIONAL FORMATTING',
  8237: 'LEFT-TO-RIGHT OVERRIDE',
  8238: 'RIGHT-TO-LEFT OVERRIDE',
  8288: 'WORD JOINER',
  8294: 'LEFT-TO-RIGHT ISOLATE',
  8295: 'RIGHT-TO-LEFT ISOLATE',
  8296: 'FIRST STRONG ISOLATE',
  8297: 'POP DIRECTIONAL ISOLATE',
  65279: 'ZERO WIDTH NO-BREAK SPACE (byte order mark)',
};

/** Format characters (Unicode Cf): they show as nothing. */
export const INVISIBLE = /\p{Cf}/u;
/** Control characters (Unicode Cc). */
export const CONTROL = /\p{Cc}/u;

/** `U+200B`: a character by its code point. */
export function codePoint(ch: string): string {
  return `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** `U+200B ZERO WIDTH SPACE`: a character by its code point, and its name where known. */
export function codePointName(ch: string): string {
  const name = NAMES[ch.codePointAt(0) ?? 0];
  return name ? `${codePoint(ch)} ${name}` : codePoint(ch);
}

/** The first character of `text` that `bad` matches, with its 1-based place in the text (in characters, not UTF-16 units). */
export function firstMatch(text: string, bad: RegExp): { ch: string; at: number } | null {
  let at = 0;
  for (const ch of text) {
    at++;
    if (bad.test(ch)) return { ch, at };
  }
  return null;
}

/** The first invisible format character of `text`, else its first control character, with its place. */
export function firstInvisible(text: string): { ch: string; at: number } | null {
  return firstMatch(text, INVISIBLE) ?? firstMatch(text, CONTROL);
}

/** `text` with each invisible or control character written as `<U+200B>`. */
export function shownText(text: string): string {
  let out = '';
  for (const ch of text) out += INVISIBLE.test(ch) || CONTROL.test(ch) ? `<${codePoint(ch)}>` : ch;
  return out;
}

/**
 * What to say of a key or name holding an invisible character: `it holds U+200B ZERO WIDTH SPACE,
 * an invisible character, at character 7; delete it (editors hide it)`. Null when it holds none.
 */
export function invisibleNote(text: string): string | null {
  const hit = firstInvisible(text);
  if (!hit) return null;
  return `it holds ${codePointName(hit.ch)}, an invisible character, at character ${hit.at}; delete it (editors hide it)`;
}

/**
 * A YAML key as an "unknown key" message names it: with an invisible character in it (`field`
 * and a zero-width space), it looked like the key it was meant to be, and the message said that
 * key was unknown. Such a key is written with the character's code point, and said so.
 */
export function unknownKeyMessage(key: string): string {
  const note = invisibleNote(key);
  return note ? `unknown key \`${shownText(key)}\`: ${note}` : `unknown key \`${key}\``;
}
