/**
 * Values a catalog entry's YAML reads as something other than what the file shows. YAML 1.2 reads
 * an unquoted `0012` as the number 12 (YAML 1.1 as octal 10, and `1:30` as 90), and a YAML 1.1 file
 * reads `no`, `Y`, `on` … as booleans and `2026-01-01` as a timestamp. In a surface schema's
 * `enum` or `const` such a value is one no license's face code (`"0012"`, `"no"`) equals: the entry
 * loaded and every license was then refused row by row against a value the file does not show.
 * Each is a located problem saying what YAML read and to quote it.
 */
import { isScalar, visit } from 'yaml';
import type { Problem } from '../core/errors.js';
import type { YamlSource } from './yaml-source.js';

// The spellings of true and false in YAML 1.2's core schema; YAML 1.1 adds y, n, yes, no, on, off.
const CORE_BOOLEAN = /^(?:true|True|TRUE|false|False|FALSE)$/;
// Digits after a leading zero (YAML 1.2: decimal without the zeros; YAML 1.1: octal), or base 60.
const LEADING_ZERO = /^[-+]?0[0-9_]+$/;
const BASE_60 = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

/** What YAML made of a scalar written `text` when it is not what the text shows, else undefined. */
function readAs(value: unknown, text: string): string | undefined {
  if (typeof value === 'number' && (LEADING_ZERO.test(text) || BASE_60.test(text)))
    return `is read by YAML as the number ${String(value)}`;
  if (typeof value === 'boolean' && !CORE_BOOLEAN.test(text))
    return `is read by YAML 1.1 as ${String(value)}`;
  if (value instanceof Date) return 'is read by YAML 1.1 as a timestamp';
  return undefined;
}

/**
 * The number a leading-zero text shows, written as YAML reads it alike in 1.1 and 1.2: `maxLength:
 * 010` wants `10`, which quoting would make text (and YAML 1.1 reads 010 as octal 8).
 */
function asDecimal(text: string): string {
  const digits = text.replace(/_/g, '');
  const sign = digits.startsWith('-') ? '-' : '';
  return `${sign}${String(Number(digits.replace(/^[-+]/, '')))}`;
}

/** Every plain scalar (value or key) YAML reads as another value than it shows, located. */
export function changedValueProblems(src: YamlSource): Problem[] {
  const problems: Problem[] = [];
  visit(src.doc, {
    Scalar(_key, node) {
      if (!isScalar(node) || node.type !== 'PLAIN' || typeof node.source !== 'string') return;
      const text = node.source;
      const how = readAs(node.value, text);
      if (how === undefined) return;
      const pos = src.lineCounter.linePos(node.range?.[0] ?? 0);
      const or =
        typeof node.value === 'boolean'
          ? `, or write ${String(node.value)}`
          : LEADING_ZERO.test(text)
            ? `, or write ${asDecimal(text)} for a number`
            : '';
      problems.push({
        file: src.file,
        line: pos.line,
        column: pos.col,
        path: '',
        message: `\`${text}\` ${how}: quote it ("${text}") to keep it as written${or}`,
      });
    },
  });
  return problems;
}

/**
 * For a plain scalar at `path` YAML read as a number or boolean (a code written unquoted, `0012`,
 * or a credit code of digits only, whose last digits a number loses): what was written and read.
 */
export function unquotedAs(src: YamlSource, path: readonly (string | number)[]): string | undefined {
  const node = src.doc.getIn(path, true);
  if (!isScalar(node) || node.type !== 'PLAIN' || typeof node.source !== 'string') return undefined;
  const v = node.value;
  if (typeof v !== 'number' && typeof v !== 'boolean') return undefined;
  const read = typeof v === 'number' ? `the number ${String(v)}` : String(v);
  return `\`${node.source}\` unquoted is read by YAML as ${read}; quote it ("${node.source}")`;
}
