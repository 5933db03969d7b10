/**
 * `template: "{JYCS}{MPH}号"`: text built from several columns. `{COLUMN}` is a column's value,
 * `{{` and `}}` are literal braces. No expressions: a template only concatenates.
 */
import { checkInput } from './input-guard.js';
import { numberText } from './step.js';
import type { InputValue } from './types.js';

type Part = { text: string } | { column: string };

export interface CompiledTemplate {
  columns: readonly string[];
  /** Renders the row; fails on a missing column or a value that has no text form. */
  render(
    values: Readonly<Record<string, InputValue>>,
  ): { ok: true; value: string } | { ok: false; code: string; message: string; column: string };
}

/**
 * A column name as sources give them: SQL names (`JYCS`, a legacy schema's `经营场所`, `A$1#`),
 * and the XML connector's nested fields and element texts (`DZ.SHENG`, `ID.#text`). Not from a
 * digit.
 */
const NAME = /^[\p{L}_][\p{L}\p{N}_.$#]*$/u;

/** Parses a template, or returns what is wrong with it. */
export function compileTemplate(source: unknown): CompiledTemplate | string {
  if (typeof source !== 'string' || source === '') return 'expected `template` to be non-empty text';
  const parts: Part[] = [];
  let text = '';
  let i = 0;
  while (i < source.length) {
    const ch = source.charAt(i);
    if ((ch === '{' || ch === '}') && source.charAt(i + 1) === ch) {
      text += ch;
      i += 2;
      continue;
    }
    if (ch === '}') return `unmatched \`}\` at char ${i + 1}; write \`}}\` for a literal brace`;
    if (ch === '{') {
      const end = source.indexOf('}', i);
      const name = end < 0 ? '' : source.slice(i + 1, end);
      if (!NAME.test(name)) return `expected {COLUMN} at char ${i + 1}; write \`{{\` for a literal brace`;
      if (text !== '') parts.push({ text });
      text = '';
      parts.push({ column: name });
      i = end + 1;
      continue;
    }
    text += ch;
    i += 1;
  }
  if (text !== '') parts.push({ text });
  const columns = [...new Set(parts.flatMap((p) => ('column' in p ? [p.column] : [])))];
  if (columns.length === 0) return 'a template needs at least one {COLUMN}; use `const` for fixed text';
  return {
    columns,
    render(values) {
      let out = '';
      for (const part of parts) {
        if ('text' in part) {
          out += part.text;
          continue;
        }
        const column = part.column;
        if (!Object.hasOwn(values, column)) {
          return { ok: false, code: 'LB_MAP_COLUMN', message: `column ${column} is not in the row`, column };
        }
        const v = values[column];
        // A missing part is empty text: "{JYCS}{MPH}" with no MPH is the street alone.
        if (v === null || v === undefined) continue;
        if (typeof v === 'string') out += v;
        else if (typeof v === 'number') {
          // As a number read with `from:`: past ±(2^53 − 1) its last digits are already lost, and
          // NaN or Infinity is no value; its text would be written into the field as if it were.
          const problem = checkInput(v);
          if (problem)
            return { ok: false, code: problem.code, message: `column ${column}: ${problem.message}`, column };
          out += numberText(v);
        } else if (typeof v === 'boolean') out += String(v);
        else
          return {
            ok: false,
            code: 'LB_MAP_TYPE',
            message: `column ${column} holds ${v instanceof Date ? 'a date' : 'binary data'}, not text`,
            column,
          };
      }
      return { ok: true, value: out };
    },
  };
}
