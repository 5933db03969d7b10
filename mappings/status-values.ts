/**
 * The `status` field must land on the canonical enum (catalog/license.ts LICENSE_STATUSES); each
 * platform maps that enum onto its own code list in config. `holder.idType` must be a GB/T 36903
 * holder id type, `operation` one a successor version takes, `areaCode` a GB/T 2260 division code.
 * Every value the rule can write without reading a row — const, lookup values, fallback, default,
 * a last `{ default: … }` step — is checked at compile time, so a typo (`vaild`, `11`) is a file:line error, not thousands of
 * quarantined rows.
 */
import { isMap, isScalar } from 'yaml';
import { isDivisionCode } from '../catalog/formats.js';
import { LICENSE_STATUSES } from '../catalog/license.js';
import { problemAt, type YamlSource } from '../catalog/yaml-source.js';
import { HOLDER_ID_TYPES, SUCCESSOR_OPERATIONS } from '../core/code-lists.js';
import type { Problem } from '../core/errors.js';
import { asWritten, parsedKey, yamlNodeAt } from './as-written.js';
import { type Dictionary, dictionaryPath } from './dictionaries.js';

/** A field whose values come from one code list: which values pass, and how a wrong one is told. */
interface CodeList {
  /** Whether a value the rule writes is one of the list's (null always passes). */
  accepts: (value: unknown) => boolean;
  /** What was expected, after `is not` / `, not`. */
  expected: string;
  /** Before `expected` in a const problem: `is not canonical; ` or `is not `. */
  lead: string;
}

const STATUSES: ReadonlySet<unknown> = new Set(LICENSE_STATUSES);
const ID_TYPES: ReadonlySet<unknown> = new Set(HOLDER_ID_TYPES);
const OPERATIONS: ReadonlySet<unknown> = new Set(SUCCESSOR_OPERATIONS);
// Blank text is no operation and no area code (the pipeline's areaCode then stands in).
const blank = (v: unknown): boolean => typeof v === 'string' && v.trim() === '';

const CODE_LISTS: Readonly<Record<string, CodeList>> = {
  status: {
    accepts: (v) => STATUSES.has(v),
    expected: `expected one of ${LICENSE_STATUSES.join(', ')}`,
    lead: 'is not canonical; ',
  },
  'holder.idType': {
    accepts: (v) => ID_TYPES.has(v),
    expected: `one of ${HOLDER_ID_TYPES.join(', ')}`,
    lead: 'is not ',
  },
  operation: {
    accepts: (v) => blank(v) || OPERATIONS.has(v),
    expected: `one of ${SUCCESSOR_OPERATIONS.join(', ')}`,
    lead: 'is not ',
  },
  areaCode: {
    accepts: (v) => blank(v) || (typeof v === 'string' && isDivisionCode(v)),
    expected: 'a 6-digit division code (GB/T 2260)',
    lead: 'is not ',
  },
};

/**
 * A value named in a problem: `status \`vaild\``; a number or boolean whose text is on the list
 * (`holder.idType: 111`, which YAML reads as a number) said to be one, to be quoted.
 */
const shown = (list: CodeList, field: string, v: unknown): string =>
  (typeof v === 'number' || typeof v === 'boolean') && list.accepts(String(v))
    ? `${field} \`${String(v)}\` (a ${typeof v}: quote codes, as YAML reads an unquoted ${String(v)} as one)`
    : `${field} \`${String(v)}\``;

/** ` (path)` of the file a named dictionary is read from; empty for an inline one. */
function tableFile(src: YamlSource, name: string): string {
  const file = yamlNodeAt(src, ['dictionaries', name, 'file']);
  return isScalar(file) && typeof file.value === 'string' ? ` (${dictionaryPath(src.file, file.value)})` : '';
}

/** Whether values written to the output path `field` come from a code list checked here. */
export const hasCodeList = (field: string): boolean => Object.hasOwn(CODE_LISTS, field);

/**
 * Checks the values a rule for `field` writes without reading a row against the field's code
 * list (`hasCodeList`); pushes one located problem per value outside it.
 */
export function checkCodeListValues(
  field: string,
  raw: Record<string, unknown>,
  table: Dictionary | undefined,
  at: readonly (string | number)[],
  src: YamlSource,
  problems: Problem[],
): void {
  const list = CODE_LISTS[field];
  if (list === undefined) return;
  const ok = (v: unknown): boolean => v === null || list.accepts(v);
  const separator = list.lead === 'is not ' ? ', not ' : ', not canonical; ';
  for (const key of ['const', 'fallback', 'default'] as const) {
    if (key in raw && !ok(raw[key])) {
      problems.push(
        problemAt(src, [...at, key], `${shown(list, field, raw[key])} ${list.lead}${list.expected}`),
      );
    }
  }
  // A `{ default: … }` step last in the chain, with no lookup after it, writes its value as it stands.
  const steps = Array.isArray(raw.transform) ? raw.transform : [];
  const last: unknown = steps[steps.length - 1];
  if (!table && typeof last === 'object' && last !== null && !Array.isArray(last) && 'default' in last) {
    const value = (last as Record<string, unknown>).default;
    if (!ok(value)) {
      const where = [...at, 'transform', steps.length - 1, 'default'];
      problems.push(problemAt(src, where, `${shown(list, field, value)} ${list.lead}${list.expected}`));
    }
  }
  if (!table) return;
  // A code is its text as written (`01`), the YAML key its parsed value (1): find the key's line by it.
  const node = yamlNodeAt(src, [...at, 'lookup']);
  const keyOf = (code: string): string => {
    const pair = isMap(node)
      ? node.items.find((p) => String(asWritten(p.key, parsedKey(p.key))) === code)
      : undefined;
    return pair ? parsedKey(pair.key) : code;
  };
  const named = typeof raw.lookup === 'string' ? raw.lookup : undefined;
  for (const [code, value] of table) {
    if (!ok(value)) {
      // An inline table points at its code; a named dictionary at the lookup line, naming the
      // table and its file, where the wrong line is.
      const where = named === undefined ? [...at, 'lookup', keyOf(code)] : [...at, 'lookup'];
      const of = named === undefined ? '' : ` of code table \`${named}\`${tableFile(src, named)}`;
      problems.push(
        problemAt(
          src,
          where,
          `code \`${code}\`${of} maps to ${shown(list, field, value)}${separator}${list.expected}`,
        ),
      );
    }
  }
}
