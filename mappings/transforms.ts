/**
 * The transform registry. A transform is declared once — its name, whether it takes an argument,
 * and a `compile` that checks the argument and returns a plain step function — so the compiler
 * rejects bad arguments at compile time and rows only ever run prebuilt closures.
 * Later transforms (dictionaries, expressions) register the same way.
 */
import { printsAsDecimal } from '../core/decimal-text.js';
import { charsetRepair } from './charset-transform.js';
import { dateTransform } from './date-transform.js';
import { holderIdType } from './holder-id-type.js';
import { unsafeIntegerProblem } from './input-guard.js';
import { listTransform } from './list-transform.js';
import { defaultStep, fullWidth, idNumber, join, nfc } from './more-transforms.js';
import { compileRegex, missingGroupReference } from './regex.js';
import {
  codePoints,
  fail,
  fullWidthHint,
  gotList,
  ok,
  textStep,
  toHalfWidth,
  trimPadding,
  typeName,
} from './step.js';
import type { TransformStep } from './types.js';

export interface TransformDefinition {
  /** `none`: written bare (`trim`); `required`: written `{ name: argument }`. */
  readonly argument: 'none' | 'required';
  /**
   * Checks the argument; returns the step, or a message saying what was expected — located at a
   * part of the argument (`at`, e.g. `['sentinels', 1]`) when one item is wrong, so the error
   * names that item's line.
   */
  compile(argument: unknown): TransformStep | string | ArgumentProblem;
  /** One line for docs and error messages. */
  readonly description: string;
  /**
   * Works on the raw source value (bytes, latin1 mojibake): runs before the input checks, which
   * would otherwise reject mojibake as control characters. Must come first in a transform list.
   * @defaultValue false
   */
  readonly rawInput?: boolean;
}

/** What is wrong with one part of a transform's argument, and where in the argument it is. */
export interface ArgumentProblem {
  readonly message: string;
  /** Path inside the argument: map keys and list indexes. */
  readonly at: readonly (string | number)[];
}

export interface TransformRegistry {
  get(name: string): TransformDefinition | undefined;
  names(): string[];
  /** Adds a transform; throws if the name is taken, so a plugin cannot silently replace one. */
  register(name: string, definition: TransformDefinition): void;
}

export { fail, numberText, ok, textStep, toHalfWidth, typeName } from './step.js';

const bare = (description: string, fn: (text: string) => string): TransformDefinition => ({
  argument: 'none',
  description,
  compile: () => textStep((s) => ok(fn(s))),
});

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const split: TransformDefinition = {
  argument: 'required',
  description: 'split text on a separator; items are trimmed and empty items dropped',
  compile(arg) {
    if (typeof arg !== 'string' || arg === '') return 'expected a non-empty separator text';
    return (value) => {
      if (value === null) return ok(null);
      if (typeof value !== 'string') return fail('LB_MAP_TYPE', `split expects text, got ${typeName(value)}`);
      // Legacy lists end with a stray separator or pad items with spaces; neither is an item.
      return ok(
        value
          .split(arg)
          .map((s) => s.trim())
          .filter((s) => s !== ''),
      );
    };
  },
};

const pad: TransformDefinition = {
  argument: 'required',
  description: 'pad text at the start to `length` with `char` (`side: end` pads at the end)',
  compile(arg) {
    if (!isRecord(arg)) return 'expected { length, char }';
    const { length, char, side = 'start', ...rest } = arg;
    const extra = Object.keys(rest)[0];
    if (extra !== undefined) return `unknown key \`${extra}\`; expected length, char, side`;
    if (typeof length !== 'number' || !Number.isInteger(length) || length < 1 || length > 256) {
      return 'expected `length` to be an integer from 1 to 256';
    }
    if (typeof char !== 'string' || Array.from(char).length !== 1)
      return 'expected `char` to be one character';
    if (side !== 'start' && side !== 'end') return 'expected `side` to be start or end';
    return textStep((s) => ok(padCodePoints(s, length, char, side)));
  },
};

/**
 * Pads to `length` characters as the catalog's `maxLength` counts them (code points, JSON Schema):
 * String#padStart counts UTF-16 code units, so `𠮷` pads one zero short, and a supplementary
 * `char` is cut in half — a lone surrogate, corrupt text that would be signed and published.
 * Text already as long is kept whole, never cut.
 */
function padCodePoints(text: string, length: number, char: string, side: 'start' | 'end'): string {
  const missing = length - codePoints(text, length);
  if (missing <= 0) return text;
  const fill = char.repeat(missing);
  return side === 'start' ? fill + text : text + fill;
}

const toNumber: TransformDefinition = {
  argument: 'none',
  description: 'decimal text to a number, refused when a number cannot hold every digit',
  compile: () => (value) => {
    if (value === null) return ok(value);
    if (typeof value === 'number') {
      const unsafe = unsafeIntegerProblem(value);
      return unsafe ? fail(unsafe.code, unsafe.message) : ok(value);
    }
    if (Array.isArray(value)) return fail('LB_MAP_TYPE', gotList('number'));
    if (typeof value !== 'string') return fail('LB_MAP_TYPE', `number expects text, got ${typeName(value)}`);
    const text = value.trim();
    if (text === '') return ok(null);
    if (!/^[+-]?[0-9]+(\.[0-9]+)?$/.test(text))
      return fail('LB_MAP_NUMBER', `text is not a decimal number${fullWidthHint(text)}`);
    const n = Number(text);
    // A double holds 15–17 significant digits: 9007199254740993 reads as 9007199254740992, an
    // 18-digit serial as another serial. Exact means the number prints back as the same decimal
    // (its shortest form, String(n)), up to a leading `+` and leading or trailing zeros; and an
    // integer must be a safe one, or another integer text would read as the same number.
    const inexact = (Number.isInteger(n) && !Number.isSafeInteger(n)) || !printsAsDecimal(n, text);
    if (inexact) {
      return fail(
        'LB_MAP_NUMBER',
        `decimal has more digits than a number holds exactly (${text.length} chars); keep it as text`,
      );
    }
    return ok(n);
  },
};

const replace: TransformDefinition = {
  argument: 'required',
  description: 'replace every match of a regular expression: [pattern, replacement]',
  compile(arg) {
    if (!Array.isArray(arg) || arg.length !== 2 || typeof arg[0] !== 'string' || typeof arg[1] !== 'string') {
      return 'expected [pattern, replacement], two texts';
    }
    // RE2, not RegExp: linear in the value whatever the pattern (see regex.ts).
    const pattern = compileRegex(arg[0]);
    if (typeof pattern === 'string') return pattern;
    const replacement = arg[1];
    const missing = missingGroupReference(replacement, pattern);
    if (missing !== undefined) {
      const { groups, names } = pattern;
      const has = `${groups} group${groups === 1 ? '' : 's'}${names.length > 0 ? `: ${names.join(', ')}` : ''}`;
      return `replacement \`${replacement}\` names \`${missing}\`, a group the pattern does not have (it has ${has}); written as it stands into every value: write \`$$\` for a literal \`$\`, \`$&\` for the whole match`;
    }
    return textStep((s) => ok(pattern.replaceAll(s, replacement)));
  },
};

const BUILT_INS: Readonly<Record<string, TransformDefinition>> = {
  trim: bare(
    'remove leading and trailing white space (CHAR padding), and NUL padding at the end',
    trimPadding,
  ),
  upper: bare('upper-case', (s) => s.toUpperCase()),
  lower: bare('lower-case', (s) => s.toLowerCase()),
  halfWidth: bare('full-width ASCII and ideographic space to half-width', toHalfWidth),
  date: dateTransform,
  split,
  pad,
  number: toNumber,
  replace,
  fullWidth,
  nfc,
  join,
  list: listTransform,
  idNumber,
  holderIdType,
  default: defaultStep,
  repairCharset: charsetRepair,
};

/** A registry holding the built-in transforms; `register` adds more to this registry only. */
export function createTransformRegistry(): TransformRegistry {
  const map = new Map<string, TransformDefinition>(Object.entries(BUILT_INS));
  return {
    get: (name) => map.get(name),
    names: () => [...map.keys()].sort(),
    register(name, definition) {
      if (map.has(name)) throw new RangeError(`transforms: \`${name}\` is already registered`);
      map.set(name, definition);
    },
  };
}
