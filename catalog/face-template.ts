/**
 * A license type's face template (照面模板, e-license rules art. 3 and 5): where each face field
 * goes on the page of the license file. Millimetres from the page's top-left corner, as OFD's
 * page coordinates (GB/T 33190 §7.3). Declared here with its JSON Schema and the checks no
 * schema can say (a field the license does not have, a box off the page), reported with
 * file:line like the rest of the catalog. Where the boxes lie against the page and each other is
 * worked out in face-box-geometry.ts.
 */
import type { Problem } from '../core/errors.js';
import { boxHeight, linesOverlapProblems, mmText, pageEdgeProblem } from './face-box-geometry.js';
import { faceFieldProblem } from './face-fields.js';
import { faceFieldNameProblem, invisibleTextProblem } from './face-names.js';
import { quietZoneProblems } from './qr-quiet-zone.js';
import { problemAt, type YamlSource } from './yaml-source.js';

export interface FaceText {
  /** Left edge of the text box. */
  x: number;
  /** Top edge of the text box. */
  y: number;
  /** Width of the text box: longer text wraps within it. */
  width: number;
  /** Font size (em height), mm. */
  size: number;
  /**
   * Smallest size, mm, the text may shrink to when it does not fit the box at `size`: laid out at
   * the largest size down to this one at which it fits the box's width and height. At most
   * `size`, at least 1. @defaultValue 0.75 × size (not under 1)
   */
  minSize?: number;
  /** Font family name as an OFD reader resolves it. @defaultValue 宋体 */
  font?: string;
  /** `#RRGGBB`. @defaultValue #000000 */
  color?: string;
  /** @defaultValue left */
  align?: 'left' | 'center';
  /** Fixed text (a caption, the license title). One of `text` and `field`. */
  text?: string;
  /** A license field: `holder.name`, `number`, `validTo`, `surface.premises`, … */
  field?: string;
  /**
   * Printed before the field's value, e.g. `经营者名称：`. Refused on a box of `text`, which has no
   * value, as `join` and `format` are.
   */
  prefix?: string;
  /** How a list field's items are joined. @defaultValue 、 */
  join?: string;
  /** `date`: ISO dates print as 2024年05月01日; a missing `validTo` prints 长期. */
  format?: 'date';
  /**
   * Lines the text may take at `size`; a text that fits them at no size down to `minSize` is cut
   * with … (`render` warns; `sign files` issues no file). @defaultValue 1
   */
  maxLines?: number;
  /** Line advance as a multiple of `size`. @defaultValue 1.5 */
  lineHeight?: number;
}

export interface FaceTemplate {
  /** Page size, mm. */
  page: { width: number; height: number };
  /** A frame drawn inset from the page edge. */
  border?: { inset: number; width: number; color: string };
  texts: FaceText[];
  /** Where the seal impression goes (its box, mm). */
  seal: { x: number; y: number; width: number; height: number };
  /** The 2-D code: a square box carrying the license identifier or, with `url`, a verification link (`{identifier}` filled in). */
  qr: { x: number; y: number; size: number; url?: string };
}

const mm = (description: string, minimum = 0) => ({ type: 'number', minimum, maximum: 2000, description });
const COLOR = { type: 'string', pattern: '^#[0-9A-Fa-f]{6}$', description: '#RRGGBB' };
const box = (what: string) => ({
  type: 'object',
  additionalProperties: false,
  required: ['x', 'y', 'width', 'height'],
  properties: {
    x: mm(`${what}: left, mm`),
    y: mm(`${what}: top, mm`),
    width: mm(`${what}: width, mm`, 1),
    height: mm(`${what}: height, mm`, 1),
  },
});

/** JSON Schema of `face` in a catalog entry. */
export const FACE_TEMPLATE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['page', 'texts', 'seal', 'qr'],
  description: 'Face template (照面模板): where each face field goes on the license file page, in mm.',
  properties: {
    page: {
      type: 'object',
      additionalProperties: false,
      required: ['width', 'height'],
      properties: { width: mm('page width, mm', 50), height: mm('page height, mm', 50) },
    },
    border: {
      type: 'object',
      additionalProperties: false,
      required: ['inset', 'width', 'color'],
      properties: {
        inset: mm('frame inset from the page edge, mm'),
        width: mm('line width, mm'),
        color: COLOR,
      },
    },
    texts: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['x', 'y', 'width', 'size'],
        properties: {
          x: mm('left, mm'),
          y: mm('top, mm'),
          width: mm('width, mm: text wraps inside it', 1),
          size: { type: 'number', minimum: 1, maximum: 50, description: 'em height, mm' },
          minSize: {
            type: 'number',
            minimum: 1,
            maximum: 50,
            description:
              'smallest em height, mm, a text that does not fit at `size` may shrink to (at most `size`; default 0.75 × size, not under 1)',
          },
          font: { type: 'string', minLength: 1 },
          color: COLOR,
          align: { enum: ['left', 'center'] },
          text: { type: 'string', minLength: 1 },
          // Dotted names as the entry's face fields are named (经营-项目, legal_rep). What a name
          // may hold is checked past the schema, so a message can say what is wrong with it
          // (face-names.ts); whether the field exists and prints as text against the surface
          // schema (face-fields.ts).
          field: {
            type: 'string',
            minLength: 1,
            description:
              'a license field (`holder.name`) or face field (`surface.premises`, `surface.address.city`): dotted names, without spaces, brackets or invisible characters',
          },
          prefix: { type: 'string' },
          join: { type: 'string' },
          format: { enum: ['date'] },
          maxLines: {
            type: 'integer',
            minimum: 1,
            maximum: 50,
            description: 'lines the text may take at `size` (default 1)',
          },
          lineHeight: { type: 'number', minimum: 1, maximum: 5 },
        },
      },
    },
    seal: box('seal'),
    qr: {
      type: 'object',
      additionalProperties: false,
      required: ['x', 'y', 'size'],
      properties: {
        x: mm('left, mm'),
        y: mm('top, mm'),
        size: mm('side, mm (at least 15 mm, so a phone camera reads it)', 15),
        url: {
          type: 'string',
          pattern: '^https?://.*\\{identifier\\}',
          description:
            'verification link the code carries instead of the bare identifier: every `{identifier}` in it is filled in with the license identifier',
        },
      },
    },
  },
} as const;

/**
 * Bytes a face's QR code holds: version 10 at level M, the largest the encoder makes
 * (adapters/documents/face/qr-codewords.ts), which a phone reads at a face's 15 mm and up.
 */
export const QR_MAX_BYTES = 213;

/**
 * The longest license identifier (GB/T 36904): root, 21-char type code, 18-char issuer code, a
 * serial of up to 32 characters (a renewal keeps the serial another vendor gave), version, check
 * character, with their dots. Its characters ([0-9A-Z.]) are the same URI-encoded.
 */
export const IDENTIFIER_MAX_LENGTH = '1.2.156.3005.2.'.length + 22 + 19 + 33 + 4 + 1;

/** The shortest license identifier: as the longest, with a one-character serial. */
export const IDENTIFIER_MIN_LENGTH = IDENTIFIER_MAX_LENGTH - 31;

/** What `qr.url` holds in place of the license identifier: every one is filled in (layout.ts). */
export const PLACEHOLDER = '{identifier}';

/** Why a QR `url` holds a brace that is no `{identifier}`, or leaves too little room for identifiers, or null. */
function qrUrlProblem(url: string): string | null {
  const rest = url.split(PLACEHOLDER);
  // A brace is no URI character (RFC 3986): `{number}` or `{id}` would be printed as it is in
  // every license's code, a link that verifies nothing.
  const stray = rest.map((piece) => /\{[^{}]*\}?|\}/.exec(piece)).find((m) => m !== null);
  if (stray) {
    return `\`${stray[0]}\` is not a placeholder of the URL: only ${PLACEHOLDER} is filled in (the license identifier); a brace is no URL character, encode it as %7B or %7D`;
  }
  const count = rest.length - 1;
  const fixed = new TextEncoder().encode(rest.join('')).length;
  const room = QR_MAX_BYTES - count * IDENTIFIER_MAX_LENGTH;
  const each =
    count === 1
      ? `an identifier takes up to ${IDENTIFIER_MAX_LENGTH}`
      : `its ${count} identifiers take up to ${IDENTIFIER_MAX_LENGTH} each`;
  return fixed <= room
    ? null
    : `expected the URL with a license identifier in it to fit the QR code (${QR_MAX_BYTES} bytes; ${each}), got ${fixed} bytes besides the identifier${count === 1 ? '' : 's'}, at most ${Math.max(0, room)}`;
}

/** The smallest size a box's text may shrink to, as the layout takes it (fit-box.ts minSizeOf). */
function minSizeOf(t: FaceText): number {
  return t.minSize ?? Math.min(t.size, Math.max(1, 0.75 * t.size));
}

/**
 * Closing punctuation, which may hang past a line's end (避头): the layout's NO_LINE_START
 * (adapters/documents/face/text-measure.ts), which the catalog does not read; a test holds the two
 * equal.
 */
export const MAY_HANG = new Set([...'、，。；：？！）》」』】〕〉］｝〗〙〛｠｣”’…·％‰℃,.;:?!)]}%']);

/** Blanks (they hang at a line's end), controls and what else the layout draws with no advance. */
const NO_ADVANCE =
  /^[\p{Zs}\p{Zl}\p{Zp}\p{Cc}\p{Cs}\p{Mn}\p{Me}\p{Default_Ignorable_Code_Point}\uFFFE\uFFFF]$/u;

/**
 * A glyph's advance in em as the layout takes it (text-measure.ts advanceOf, after drawable-text.ts
 * drops what no reader draws), or less: blanks and what draws nothing count 0. A test holds it to
 * the layout over every code point.
 */
export function advanceAtLeast(cp: number): number {
  if (NO_ADVANCE.test(String.fromCodePoint(cp))) return 0;
  if ((cp >= 0x41 && cp <= 0x5a) || cp === 0x6d || cp === 0x77) return 0.62;
  if (cp < 0x1100) return 0.5;
  if (cp >= 0xff61 && cp <= 0xffdc) return 0.5;
  return 1;
}

/**
 * Why a box's fixed text cannot fit it at any size down to `minSize`, or null. Such a text is cut
 * with … on every license of the type, and `sign files` issues none of their files: found when the
 * first license was laid out, it named neither the template nor its line. A line of `L` em holds
 * glyphs of at most `L` em (⌊L⌋ an em wide), but for the blank at its end and one closing mark
 * hanging past it; so the glyphs counted here, all but blanks and closing marks, need at least
 * this many lines, and what is refused the layout cuts (test/documents/face-fixed-text-fit.test.ts).
 * A text cut only for where its lines may break (a long word, a run of marks) is still found when
 * laid out. The box holds the most at `minSize`: the widest lines, and the most of them in its
 * height at `size`.
 */
function fixedTextProblem(t: FaceText): string | null {
  if (t.text === undefined) return null;
  const min = minSizeOf(t);
  let em = 0;
  let wide = 0;
  for (const ch of t.text) {
    if (MAY_HANG.has(ch)) continue;
    const a = advanceAtLeast(ch.codePointAt(0) as number);
    em += a;
    if (a === 1) wide++;
  }
  const lineHeight = t.lineHeight ?? 1.5;
  const height = t.size * (((t.maxLines ?? 1) - 1) * lineHeight + 1.2);
  const lines = Math.floor((height / min - 1.2) / lineHeight + 1e-9) + 1;
  const room = t.width / min;
  // Generous by a millionth of an em, as the layout sums advances in floating point.
  const needed = Math.max(Math.ceil(em / (room + 1e-6)), Math.ceil(wide / Math.floor(room + 1e-9)));
  if (needed <= lines) return null;
  return `expected the text to fit its box at \`minSize\` (${mmText(min)} mm) at least: there the box has ${lines} line(s) of ${mmText(room)} em, and the text needs ${needed} or more (${mmText(em)} em without its spaces and closing marks, ${wide} character(s) an em wide); every license would have it cut with …, and \`sign files\` would issue no file. Widen the box, raise \`maxLines\` or lower \`minSize\``;
}

/**
 * Keys that say how a field's value is printed, each with what it does: on a box of fixed `text`,
 * which has no value, the layout printed the text alone (`prefix: 编号：` beside `text:
 * 食品经营许可证` showed no 编号：), so they are refused rather than dropped.
 */
const VALUE_KEYS = [
  ['prefix', "is printed before a field's value"],
  ['join', "joins a list field's items"],
  ['format', "formats a field's value"],
] as const;

/** Why `key` of a box of fixed text does nothing, and what to write instead. */
function valueKeyProblem(t: FaceText, key: (typeof VALUE_KEYS)[number][0], does: string): string {
  const instead =
    key === 'prefix'
      ? `it would not be printed. Write it into \`text\` (\`${t.prefix}${t.text}\`), or bind a \`field\``
      : 'it would do nothing. Remove it, or bind a `field`';
  return `\`${key}\` ${does}, and a box of fixed \`text\` has none: ${instead}`;
}

/** A box's words that are printed, or name the font they are printed in, as written. */
const PRINTED = ['text', 'prefix', 'join', 'font'] as const;

/**
 * The checks past the schema: each box names text or a field the entry's licenses have, by a
 * name and in words without invisible characters (face-names.ts), everything lies on the page,
 * and no box's later lines reach into a box below it. `surface` is the entry's face-field JSON Schema.
 */
export function faceProblems(
  src: YamlSource,
  face: FaceTemplate,
  surface: Record<string, unknown>,
): Problem[] {
  const problems: Problem[] = [];
  face.texts.forEach((t, i) => {
    const at = ['face', 'texts', i];
    if ((t.text === undefined) === (t.field === undefined)) {
      problems.push(problemAt(src, at, 'give exactly one of `text` and `field`'));
    }
    if (t.text !== undefined && t.field === undefined) {
      for (const [key, does] of VALUE_KEYS) {
        if (t[key] !== undefined) problems.push(problemAt(src, [...at, key], valueKeyProblem(t, key, does)));
      }
    }
    if (t.field !== undefined) {
      const problem = faceFieldNameProblem(t.field) ?? faceFieldProblem(t.field, surface);
      if (problem !== null) problems.push(problemAt(src, [...at, 'field'], problem));
    }
    for (const key of PRINTED) {
      const value = t[key];
      const problem = value === undefined ? null : invisibleTextProblem(key, value);
      if (problem !== null) problems.push(problemAt(src, [...at, key], problem));
    }
    if (t.minSize !== undefined && t.minSize > t.size) {
      problems.push(
        problemAt(
          src,
          [...at, 'minSize'],
          `expected \`minSize\` to be at most \`size\` (${t.size} mm), got \`${t.minSize}\``,
        ),
      );
    }
    // One em at `size` is a Chinese character's width, what a face is written in: narrower, no
    // line holds a character and every license showed only `…` in the box. At `size`, not
    // `minSize`: such a box lays every license's text smaller than the template says, and at the
    // default `minSize` (¾ of `size`) a line has room for one character and no … after it, so any
    // longer value still shows only `…`.
    if (t.width < t.size) {
      problems.push(
        problemAt(
          src,
          [...at, 'width'],
          `expected \`width\` to be at least one character at \`size\` (${t.size} mm), got \`${t.width}\`: a narrower box would show only … on every license`,
        ),
      );
    }
    // Past the two checks above the layout shrinks the text (width at least an em at `minSize`).
    const fixed = t.width < t.size || minSizeOf(t) > t.size ? null : fixedTextProblem(t);
    if (fixed !== null) problems.push(problemAt(src, [...at, 'text'], fixed));
    const what = `the text box (${t.maxLines ?? 1} line(s) of ${t.size} mm)`;
    const edge = pageEdgeProblem(face.page, what, { x: t.x, y: t.y, width: t.width, height: boxHeight(t) });
    if (edge !== null) problems.push(problemAt(src, at, edge));
  });
  for (const { i, message } of linesOverlapProblems(face.texts)) {
    problems.push(problemAt(src, ['face', 'texts', i], message));
  }
  const sealEdge = pageEdgeProblem(face.page, 'the seal', face.seal);
  if (sealEdge !== null) problems.push(problemAt(src, ['face', 'seal'], sealEdge));
  const q = face.qr;
  const qrEdge = pageEdgeProblem(face.page, 'the QR code', { x: q.x, y: q.y, width: q.size, height: q.size });
  if (qrEdge !== null) problems.push(problemAt(src, ['face', 'qr'], qrEdge));
  // Checked here, not when a license is laid out: identifiers differ in length, so a URL too long
  // for some would stop a run at the first of them, naming neither the template nor the license.
  const urlProblem = q.url === undefined ? null : qrUrlProblem(q.url);
  if (urlProblem !== null) problems.push(problemAt(src, ['face', 'qr', 'url'], urlProblem));
  // The shortest identifier makes the code of fewest modules, the largest: its quiet zone is the
  // widest any license's code needs. (Identifier characters are the same URI-encoded.)
  const shortest =
    q.url === undefined
      ? IDENTIFIER_MIN_LENGTH
      : new TextEncoder().encode(q.url.split(PLACEHOLDER).join('')).length +
        (q.url.split(PLACEHOLDER).length - 1) * IDENTIFIER_MIN_LENGTH;
  problems.push(...quietZoneProblems(src, face, shortest));
  return problems;
}
