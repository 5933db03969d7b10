/** Building blocks of transform steps, shared by every transform file. */
import type { MapValue, StepOutcome, TransformStep } from './types.js';

export function ok(value: MapValue): StepOutcome {
  return { ok: true, value };
}

export function fail(code: string, message: string): StepOutcome {
  return { ok: false, code, message };
}

/**
 * What a one-value step says of a list: the value it got is a list because a step before it
 * (`split`, `list`) made one, which the column's text does not show; the step reads no list's items.
 */
export function gotList(step: string): string {
  return `${step} got a list: a step before it (split, list) made one, and ${step} reads one value, not a list's items`;
}

/**
 * `trim`: white space at both ends (CHAR padding, U+3000), and NULs at the end among it — a CHAR or
 * BINARY(n) column some legacy apps pad with U+0000 (C strings written into SQL Server char, MySQL
 * BINARY read as text). A NUL elsewhere is no padding and stays, for the input checks to refuse.
 * No regular expression anchored at the end: it is tried at every white-space run, quadratic on
 * a long run in the middle (bench/xml-white-runs).
 */
export function trimPadding(text: string): string {
  return trimEndPadding(text.trimStart());
}

/** trimPadding at the end only: white space and NULs. */
export function trimEndPadding(text: string): string {
  let out = text.trimEnd();
  for (;;) {
    let end = out.length;
    while (end > 0 && out.charCodeAt(end - 1) === 0) end--;
    if (end === out.length) return out;
    out = out.slice(0, end).trimEnd();
  }
}

export function typeName(value: MapValue): string {
  if (value instanceof Date) return 'a date';
  if (value instanceof Uint8Array) return 'binary data';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * A number as decimal text: String(n) but never in exponent form. JavaScript writes a number below
 * 10^-6 (and from 10^21) with an exponent (`5e-7`), which is no decimal text: a license would show
 * `5e-7` for a FLOAT column's 0.0000005, and a code table's `0.0000005` or `equals: 0.0000005`
 * would never match it. The digits are String(n)'s, the shortest that read back as n.
 */
export function numberText(n: number): string {
  const text = String(n);
  const m = /^(-?)([0-9])(?:\.([0-9]+))?e([+-][0-9]+)$/.exec(text);
  if (!m) return text;
  const [, sign = '', first = '', rest = '', exp = '0'] = m;
  const digits = first + rest;
  // The value is 0.digits × 10^point.
  const point = Number(exp) + 1;
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/**
 * Lifts a text function into a step: null passes through, numbers are read as their decimal text
 * (numeric-looking CHAR data comes back as numbers from some drivers), lists map item by item.
 */
export function textStep(fn: (text: string) => StepOutcome): TransformStep {
  const step: TransformStep = (value) => {
    if (value === null) return ok(null);
    if (typeof value === 'string') return fn(value);
    if (typeof value === 'number') return fn(numberText(value));
    if (Array.isArray(value)) {
      const out: MapValue[] = [];
      for (const item of value) {
        const r = step(item);
        if (!r.ok) return r;
        out.push(r.value);
      }
      return ok(out);
    }
    return fail('LB_MAP_TYPE', `expected text, got ${typeName(value)}`);
  };
  return step;
}

/** Full-width ASCII (U+FF01–U+FF5E) and the ideographic space (U+3000) to their half-width forms. */
export function toHalfWidth(text: string): string {
  return text.replace(/[\uFF01-\uFF5E\u3000]/g, (ch) =>
    ch === '\u3000' ? ' ' : String.fromCharCode(ch.charCodeAt(0) - 0xfee0),
  );
}

/**
 * For a step that reads half-width digits and letters (date, number): when the text holds
 * full-width ASCII, as Chinese input mode types it (`２０２１０３１５`), what to add, since on a
 * screen it looks like text the step reads. Empty otherwise.
 */
export function fullWidthHint(text: string): string {
  return /[\uFF01-\uFF5E]/.test(text)
    ? '; it holds full-width characters: add halfWidth before this step'
    : '';
}

/**
 * Characters of `text` as JSON Schema's `maxLength` counts them (ajv `unicode: true`): code
 * points, so 𠮷 (U+20BB7, two UTF-16 code units) is one; a lone surrogate counts as one. Stops
 * counting at `limit`.
 */
export function codePoints(text: string, limit = Number.POSITIVE_INFINITY): number {
  let n = 0;
  for (let i = 0; i < text.length && n < limit; i++, n++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
  }
  return n;
}
