/**
 * Checks on every source value a mapping reads, before any transform: values a license must never
 * carry are caught here with a clear code instead of surfacing as odd platform rejections.
 */
import { LONE_SURROGATE } from '../core/lone-surrogate.js';
import { codePoints } from './step.js';
import type { InputValue } from './types.js';

/** Longest text accepted from one column; a 1 MB blob in a name column is a broken row, not a name. */
export const MAX_TEXT_LENGTH = 4000;

// C0 controls except tab, LF and CR; DEL; C1 controls (often latin1-decoded GBK bytes).
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
// GBK or UTF-8 bytes decoded as latin1 (`ÕÅÈý`). Chinese license data does not hold them; a column
// that does needs `repairCharset` (or a source charset). Four shapes, as GB2312 bytes run A1–FE
// and need not start with a letter (北京 B1B1 BEA9 reads `±±¾©`, 陈 B3C2 reads `³Â`):
// - a Latin-1 letter followed by another Latin-1 character (`ÕÅ`), but for two letters inside a
//   word of lower-case letters (latinWordPair);
// - a symbol from a GB2312 lead row (A1–A9 symbols, B0–BF characters) followed by a Latin-1
//   letter: one Chinese character inside other text (`3ºÅ`, 3号; `No.³Â`). « (AB) is no GB2312
//   lead, so `«Élan»` is text;
// - four Latin-1 characters in a row, letters or symbols: two Chinese characters (`±±¾©`);
// - a value of nothing but Latin-1 characters (`³Â`, a one-character name or area read so).
// Two symbols inside other text are real text: `W/(m²·K)`, `25°±2℃`, `«Élan»`, `µ·s`. A lone
// Chinese character both of whose bytes read as such symbols (°± is B0B1) cannot be told from them.
const LATIN1_PAIR = /[\u00C0-\u00FF][\u0080-\u00FF]/g;
const MOJIBAKE_OTHER =
  /[\u00A1-\u00A9\u00B0-\u00BF][\u00C0-\u00FF]|[\u00A1-\u00FF]{4}|^\s*[\u00A1-\u00FF]{2,}\s*$/;
// C0 controls and DEL: never a byte of a GBK character read as latin1.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const C0_CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
// A GBK extension character (lead byte 81–A0, or trail byte 80–A0: 喆 86B4, 堃 88D2, 翀 C188) read
// as latin1 is a C1 control beside another high byte (`\u0086´`): mojibake, not a control character.
const C1_PAIR = /[\u0081-\u009F][\u0080-\u00FE]|[\u0081-\u00FE][\u0080-\u009F]/;
// U+FFFE and U+FFFF are not characters: XML 1.0 allows them nowhere, so a license holding one
// could not be sent to a SOAP platform or laid out in an OFD page that strict readers open.
const NONCHARACTER = /[\uFFFE\uFFFF]/;
// Emoji drawn as pictures (and the emoji variation selector) do not belong on a license face.
// Supplementary CJK ideographs (rare name characters, 生僻字) are NOT caught: they are legitimate.
const EMOJI = /\p{Emoji_Presentation}|\u{FE0F}/u;

/**
 * BMP code units that could make one of the patterns above match: controls, Latin-1 letters
 * (mojibake), surrogates (lone halves, and every supplementary emoji), U+FFFD, U+FE0F, and
 * every BMP char the EMOJI pattern itself matches (asked of the pattern, so it follows the
 * runtime's Unicode version). Text without any of them cannot fail a check, so the usual clean
 * value costs one table scan instead of five regex runs; any other text runs the full checks.
 * Each code unit is classed the first time a text holds it (0 unknown, 1 clean, 2 suspect):
 * classing all 65,536 at load cost more than most processes ever spend in the checks.
 */
const SUSPECT = new Uint8Array(0x10000);

function classify(c: number): number {
  const suspect =
    c < 0x20 ||
    (c >= 0x7f && c <= 0xff) ||
    (c >= 0xd800 && c <= 0xdfff) ||
    c === 0xfffd ||
    c === 0xfffe ||
    c === 0xffff ||
    c === 0xfe0f ||
    EMOJI.test(String.fromCharCode(c));
  const cls = suspect ? 2 : 1;
  SUSPECT[c] = cls;
  return cls;
}

function mayHaveProblem(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const cls = SUSPECT[c] || classify(c);
    if (cls === 2) return true;
  }
  return false;
}

export interface InputProblem {
  code: string;
  message: string;
}

const MOJIBAKE_PROBLEM: InputProblem = {
  code: 'LB_MAP_ENCODING',
  message:
    'text looks like GBK or UTF-8 bytes decoded as latin1 (mojibake); repair at the source (sources.<name>.charset, docs/connectors.md) or add { repairCharset: gb18030 } to the rule',
};

const isLatin1Letter = (c: number): boolean => c >= 0xc0 && c <= 0xff && c !== 0xd7 && c !== 0xf7;
const isLower = (c: number): boolean => c >= 0x61 && c <= 0x7a;
const isAsciiLetter = (c: number): boolean => isLower(c) || (c >= 0x41 && c <= 0x5a);

/**
 * Two Latin-1 letters at `i` that stand inside a word as Portuguese, Spanish, German and Finnish
 * write them (Conceição, Compañía, Grüße, Jääskeläinen): an ASCII letter before and a lower-case
 * one after, or two lower-case letters before and no letter after (Hyvää). GBK read as latin1
 * stands beside digits, spaces, capitals or more such characters (`3ºÅ`, `AÇø` for A区), which
 * stay refused; a Chinese character glued to a lower-case word would pass, as it is read the same.
 */
function latinWordPair(text: string, i: number): boolean {
  if (!isLatin1Letter(text.charCodeAt(i)) || !isLatin1Letter(text.charCodeAt(i + 1))) return false;
  const before = text.charCodeAt(i - 1);
  const after = text.charCodeAt(i + 2);
  if (isAsciiLetter(before) && isLower(after)) return true;
  return (
    isLower(before) &&
    isLower(text.charCodeAt(i - 2)) &&
    !isAsciiLetter(after) &&
    !(after >= 0x80 && after <= 0xff)
  );
}

/** Latin-1 mojibake of GBK or UTF-8 bytes, by the shapes above. */
function looksLikeMojibake(text: string): boolean {
  if (MOJIBAKE_OTHER.test(text)) return true;
  LATIN1_PAIR.lastIndex = 0;
  for (let m = LATIN1_PAIR.exec(text); m !== null; m = LATIN1_PAIR.exec(text)) {
    if (!latinWordPair(text, m.index)) return true;
    // Pairs overlap: `õõõ` is tried at each of its letters.
    LATIN1_PAIR.lastIndex = m.index + 1;
  }
  return false;
}

/**
 * The first control character the checks refuse in `text`: its code point and its place, counted
 * in characters (code points) from 0 as `maxLength` counts them. Undefined for text without one.
 */
export function firstControl(text: string): { codePoint: number; index: number } | undefined {
  const m = CONTROL.exec(text);
  if (m === null) return undefined;
  return { codePoint: m[0].charCodeAt(0), index: codePoints(text.slice(0, m.index)) };
}

export function checkInput(value: InputValue): InputProblem | null {
  if (typeof value === 'string') {
    // Characters are code points, as the catalog's maxLength and `pad` count them: 𠮷 (U+20BB7) is
    // one character in two UTF-16 code units. Never more code points than code units, so the
    // count runs only on text already past the limit in code units.
    if (value.length > MAX_TEXT_LENGTH) {
      const chars = codePoints(value);
      if (chars > MAX_TEXT_LENGTH) {
        return { code: 'LB_MAP_TOO_LONG', message: `text of ${chars} chars exceeds ${MAX_TEXT_LENGTH}` };
      }
    }
    if (!mayHaveProblem(value)) return null;
    if (CONTROL.test(value)) {
      // Only C1 controls, in mojibake (张喆 reads `ÕÅ\u0086´`): the charset is what to repair.
      if (!C0_CONTROL.test(value) && (C1_PAIR.test(value) || looksLikeMojibake(value)))
        return MOJIBAKE_PROBLEM;
      return { code: 'LB_MAP_CONTROL_CHAR', message: 'text holds a control character' };
    }
    if (LONE_SURROGATE.test(value) || value.includes('\uFFFD')) {
      return {
        code: 'LB_MAP_ENCODING',
        message:
          'text holds a broken or replacement character; check the source charset (GBK stored as latin1?)',
      };
    }
    if (NONCHARACTER.test(value)) {
      return {
        code: 'LB_MAP_ENCODING',
        message:
          'text holds U+FFFE or U+FFFF, which is not a character (XML cannot carry it); check the source charset',
      };
    }
    if (looksLikeMojibake(value)) return MOJIBAKE_PROBLEM;
    if (EMOJI.test(value)) return { code: 'LB_MAP_CHARSET', message: 'text holds an emoji' };
    return null;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) {
    return { code: 'LB_MAP_TYPE', message: `number ${String(value)} is not finite` };
  }
  if (typeof value === 'number') return unsafeIntegerProblem(value);
  if (value instanceof Date && Number.isNaN(value.getTime())) {
    return { code: 'LB_MAP_TYPE', message: 'date value is invalid' };
  }
  return null;
}

/**
 * A number past ±(2^53 − 1) is refused: a double holds no more digits, so the source's last digits
 * are already gone (110105194912310023 arrives as 110105194912310020), and every text transform
 * would write the invented zeros. Connectors hand BIGINT and DECIMAL over as text; this guards a
 * driver or a file that does not. The message never holds the number: it may be an ID number.
 */
export function unsafeIntegerProblem(value: number): InputProblem | null {
  if (!Number.isInteger(value) || Number.isSafeInteger(value)) return null;
  return {
    code: 'LB_MAP_NUMBER',
    message:
      'number is an integer past ±(2^53 − 1), more digits than a number holds exactly: its last digits may already be lost; read the column as text',
  };
}
