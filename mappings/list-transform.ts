/**
 * `list`: JSON list text to a list. A database array column (connectors/sql/values.ts) and an XML
 * source's `lists` field hand a list over as JSON list text, `["甲","乙"]`; read without this step,
 * a list path writes that text as one item. Only a rule that names the step reads text as a list:
 * a text column whose value happens to look like `["a"]` stays text.
 */
import { printsAsDecimal } from '../core/decimal-text.js';
import { checkInput, unsafeIntegerProblem } from './input-guard.js';
import { fail, ok, typeName } from './step.js';
import type { TransformDefinition } from './transforms.js';
import type { MapValue, StepOutcome } from './types.js';

const EXPECTED =
  'list expects JSON list text of text, numbers or null (as a database array column or an XML source’s `lists` field gives it)';

/** Items are checked as column values are: an escape (`\u0007`) reads as a character the text did not show. */
function itemProblem(item: unknown, index: number): StepOutcome | undefined {
  if (item === null) return undefined;
  const at = `item ${index + 1}`;
  // JSON text may write a number no double holds (1e400, -1e400): JSON.parse gives ±Infinity,
  // which a license cannot carry (RFC 8785 has no form for it), so the row would map and then
  // fail its page at commit, when the content hash is taken, instead of being quarantined here.
  if (typeof item === 'number' && !Number.isFinite(item)) {
    return fail(
      'LB_MAP_NUMBER',
      `${at}: number is beyond what a number holds (±1.8e308): a license cannot carry it`,
    );
  }
  if (typeof item === 'string' || typeof item === 'number') {
    const problem = typeof item === 'string' ? checkInput(item) : unsafeIntegerProblem(item);
    return problem ? fail(problem.code, `${at}: ${problem.message}`) : undefined;
  }
  const kind = Array.isArray(item)
    ? 'a list'
    : item === true || item === false
      ? 'true or false'
      : 'an object';
  return fail('LB_MAP_TYPE', `${EXPECTED}; ${at} is ${kind}`);
}

/** A JSON number token (RFC 8259 §6), matched where a value starts. */
const NUMBER_TOKEN = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

/** The number tokens of JSON text, in order; strings are passed over. */
function numberTokens(text: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charAt(i);
    if (c === '"') {
      i++;
      while (i < text.length && text.charAt(i) !== '"') i += text.charAt(i) === '\\' ? 2 : 1;
      i++;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      NUMBER_TOKEN.lastIndex = i;
      const token = NUMBER_TOKEN.exec(text)?.[0] ?? c;
      tokens.push(token);
      i += token.length;
    } else i++;
  }
  return tokens;
}

/**
 * The first number item that is not the decimal written (`1.0000000000000001` read as 1): a JSON
 * column keeps such a number as the database wrote it (connectors/sql/json-text.ts), and read as a
 * number it became another, as the `number` transform refuses to make it. Zero aside: an underflow
 * (`1e-400`) and `-0` are written as 0, as before. `list` is a flat list of text, numbers and null
 * (itemProblem), so its number tokens are its number items, in order.
 */
function inexactItem(text: string, items: readonly unknown[]): StepOutcome | undefined {
  if (!items.some((item) => typeof item === 'number' && item !== 0)) return undefined;
  const tokens = numberTokens(text);
  let k = 0;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (typeof item !== 'number') continue;
    const token = tokens[k++] ?? '';
    if (item !== 0 && !printsAsDecimal(item, token)) {
      return fail(
        'LB_MAP_NUMBER',
        `item ${i + 1}: decimal has more digits than a number holds exactly (${token.length} chars); have the source write it as text`,
      );
    }
  }
  return undefined;
}

export const listTransform: TransformDefinition = {
  argument: 'none',
  description: 'JSON list text (a database array column, an XML source’s `lists` field) to its list of items',
  compile: () => (value) => {
    if (value === null) return ok(null);
    if (typeof value !== 'string') return fail('LB_MAP_TYPE', `${EXPECTED}; got ${typeName(value)}`);
    // A blank column is no list, as NULL is (Oracle stores '' as NULL).
    if (value.trim() === '') return ok(null);
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      // The message never quotes the text: it may hold a person's name or ID number.
      return fail(
        'LB_MAP_TYPE',
        `${EXPECTED}; the text is not JSON (text listed with a separator needs { split: … })`,
      );
    }
    if (!Array.isArray(parsed)) return fail('LB_MAP_TYPE', `${EXPECTED}; the text is JSON but no list`);
    for (let i = 0; i < parsed.length; i++) {
      const problem = itemProblem(parsed[i], i);
      if (problem) return problem;
    }
    return inexactItem(value, parsed) ?? ok(parsed as MapValue[]);
  },
};
