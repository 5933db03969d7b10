/**
 * scrubPersonal's cut of credit codes, ID numbers and digit runs skips text holding no run it could
 * cut, reads the spans of hex identifiers and legal entities' codes only when it cuts, and reads
 * runs without copying their pattern. What it gives must be what reading everything gave: the
 * reading before those shortcuts is kept below, over the same helpers, and both are compared on
 * seeded texts of every shape masking knows.
 */
import { describe, expect, it } from 'vitest';
import { inHalfWidth } from '../../core/half-width.js';
import { hexIdentifierSpans } from '../../core/hex-identifier.js';
import { isLegalEntityCode } from '../../core/legal-entity-code.js';
import { ALONE_BEFORE } from '../../core/mask.js';
import { maskNumberShapes } from '../../core/personal-shapes.js';
import { scrubPersonal } from '../../core/scrub.js';
import { isValidUscc } from '../../core/uscc.js';
import { errorTextCorpus } from '../support/error-text-corpus.js';

const CODE_SHAPE = new RegExp(
  `${ALONE_BEFORE}[0-9A-HJ-NPQRTUWXYa-hj-npqrtuwxy]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXYa-hj-npqrtuwxy]{10}(?![0-9A-Za-z])`,
  'g',
);
const DIGIT_RUN = /[0-9]{7,}/g;
const GLUED_RUN = /[0-9A-Za-z]{19,}/g;
const CODE_RUN = /[0-9A-Za-z]{18,}/g;
const CODE_CHARS = /^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$/;
const ESCAPE_BEFORE = /(?:%[0-9A-Fa-f]{2}|\\u[0-9A-Fa-f]{4})$/;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const lastFour = (run: string): string => `${'*'.repeat(run.length - 4)}${run.slice(-4)}`;

function* creditCodes(text: string, runs: RegExp, typeCodes = false): Generator<[string, number]> {
  for (const m of text.matchAll(runs)) {
    const run = m[0];
    for (let i = 0; i + 18 <= run.length; i++) {
      const code = run.slice(i, i + 18);
      const escaped = ESCAPE_BEFORE.test(text.slice(Math.max(0, m.index + i - 6), m.index + i));
      if (/[0-9]/.test(run[i - 1] ?? '') && !escaped) continue;
      const typeCode = typeCodes && i + 21 === run.length && /^[0-9]{3}$/.test(run.slice(i + 18));
      if (/[0-9]/.test(run[i + 18] ?? '') && !typeCode) continue;
      if (!CODE_CHARS.test(code.toUpperCase()) || !isValidUscc(code.toUpperCase())) continue;
      yield [typeCode ? run.slice(i) : code, m.index + i];
      i += 17;
    }
  }
}

function cutCodesAndRuns(text: string): string {
  const hex = hexIdentifierSpans(text);
  const codes: [number, number][] = [];
  for (const [code, at] of creditCodes(text, CODE_RUN, true))
    if (isLegalEntityCode(code.toUpperCase())) codes.push([at, at + code.length]);
  const cut = (match: string, at: number): string => {
    const end = at + match.length;
    if ([...hex, ...codes].some(([s, e]) => at >= s && end <= e)) return match;
    const code = codes.find(([s, e]) => at < s && end > s && end <= e);
    const before = code === undefined ? '' : match.slice(0, code[0] - at);
    return code !== undefined && before.length < 7 ? match : lastFour(match);
  };
  let glued = '';
  let from = 0;
  for (const [code, at] of creditCodes(text, GLUED_RUN)) {
    glued += `${text.slice(from, at)}${cut(code, at)}`;
    from = at + 18;
  }
  return (glued + text.slice(from)).replace(CODE_SHAPE, cut).replace(DIGIT_RUN, cut);
}

function readingEverything(text: string, values: readonly string[], mask: (v: string) => string): string {
  let out = text;
  for (const v of values) if (v.length >= 4 && out.includes(v)) out = out.split(v).join(mask(v));
  const runs = inHalfWidth(out, cutCodesAndRuns);
  const shapes = maskNumberShapes(out);
  if (shapes === out) return runs;
  if (shapes.length !== out.length || runs.length !== out.length) return inHalfWidth(shapes, cutCodesAndRuns);
  let merged = '';
  for (let i = 0; i < out.length; i++) {
    const ch = out[i] as string;
    merged += runs[i] === '*' || (shapes[i] === '*' && LETTER_OR_DIGIT.test(ch)) ? '*' : ch;
  }
  return merged;
}

describe('scrubPersonal reading only text it could cut', () => {
  it('gives what reading every text gave, on 800 seeded texts', () => {
    const mask = (v: string): string => '#'.repeat(v.length);
    // Compared here and asserted once: an expect per text cost more than the masking.
    const differ: string[] = [];
    let cut = 0;
    for (const text of errorTextCorpus(800, 17)) {
      for (const values of [[], ['张三', '13800138000']]) {
        const want = readingEverything(text, values, mask);
        if (want !== text) cut += 1;
        const got = scrubPersonal(text, values, mask);
        if (got !== want)
          differ.push(`${JSON.stringify(text)}: ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
      }
    }
    expect(differ.slice(0, 5)).toEqual([]);
    // The texts hold what is cut as well as what is not: most are changed, not all.
    expect(cut).toBeGreaterThan(600);
    expect(cut).toBeLessThan(1500);
  });

  it('cuts a run of seven digits and an 18-char code, and leaves six digits and 17 chars', () => {
    const scrub = (text: string): string => scrubPersonal(text, [], () => '***');
    expect(scrub('job 1234567 failed')).toBe('job ***4567 failed');
    expect(scrub('job 123456 failed')).toBe('job 123456 failed');
    expect(scrub('key 92370211MA3098E10F')).toBe('key **************E10F');
    expect(scrub('key 92370211MA3098E10')).toBe('key ****0211MA3098E10');
  });
});
