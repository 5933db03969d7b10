/**
 * One output path of a mapping file compiled: its rules, the writer that puts its value into a
 * draft, and the list it zips into, with the check that rules zipping one list give as many items.
 */
import { problemAt } from '../catalog/yaml-source.js';
import { type OutputPath, writePath } from './output-path.js';
import { type CompiledRule, compileRule, type RuleContext } from './rule.js';
import type { MapReason } from './types.js';

export interface Field {
  path: OutputPath;
  rules: CompiledRule[];
  /** Writes the field's value into a draft; built once per path (see `writerFor`). */
  write(draft: Draft, value: unknown): void;
  /** The list it zips into (`surface.items` for `surface.items[].name`), when it zips. */
  zip?: string;
}

/** How many items a value gives a list path (writePath: a lone value is one, no value none). */
const itemCount = (value: unknown): number =>
  Array.isArray(value) ? value.length : value === null || value === undefined ? 0 : 1;

/**
 * Two rules zipping one list must give as many items: `split` drops an empty item (`a；；c` is two
 * names beside three codes), and writePath would pair the names with the wrong codes. A rule
 * giving no items (a null column) is no mismatch: its field is only left out of every item.
 */
export function zipProblem(
  field: Field,
  rule: CompiledRule,
  value: unknown,
  zips: Map<string, { count: number; path: string }>,
): MapReason | undefined {
  const count = itemCount(value);
  if (field.zip === undefined || count === 0) return undefined;
  const first = zips.get(field.zip);
  if (first === undefined) {
    zips.set(field.zip, { count, path: field.path.text });
    return undefined;
  }
  if (first.count === count) return undefined;
  return {
    code: 'LB_MAP_LIST_LENGTH',
    message: `mapping: ${field.path.text}: ${count} items, where ${first.path} gave ${first.count}: rules zipping one list must give as many, or items meet the wrong values (a split drops empty items)`,
    path: field.path.text,
    location: rule.location,
    ...(rule.column === undefined ? {} : { column: rule.column }),
  };
}

export type Draft = Record<string, unknown>;

/**
 * A writer for one output path. Most paths are `name` or `parent.name` without a list: those get
 * a direct assignment instead of the general walk, which every field of every row would pay.
 */
function writerFor(path: OutputPath): (draft: Draft, value: unknown) => void {
  const [a, b, more] = path.segments;
  if (a && !a.list && more === undefined) {
    if (b === undefined) {
      const name = a.name;
      return (draft, value) => {
        draft[name] = value;
      };
    }
    if (!b.list) {
      const [parent, name] = [a.name, b.name];
      return (draft, value) => {
        const node = draft[parent];
        if (node !== null && typeof node === 'object' && !Array.isArray(node)) (node as Draft)[name] = value;
        else draft[parent] = { [name]: value };
      };
    }
  }
  return (draft, value) => writePath(draft, path, value);
}

export function compileField(path: OutputPath, raw: unknown, ctx: RuleContext): Field | undefined {
  const at = ['fields', path.text];
  const list = Array.isArray(raw) ? raw : [raw];
  if (list.length === 0) {
    ctx.problems.push(problemAt(ctx.src, at, 'expected a rule, or a non-empty list of rules with `when`'));
    return undefined;
  }
  const rules = list.map((r, i) => compileRule(path, r, Array.isArray(raw) ? [...at, i] : at, ctx));
  if (rules.some((r) => r === undefined)) return undefined;
  const marked = path.segments.findIndex((seg) => seg.list);
  const zip =
    marked >= 0 && marked < path.segments.length - 1
      ? path.segments
          .slice(0, marked + 1)
          .map((seg) => seg.name)
          .join('.')
      : undefined;
  return { path, rules: rules as CompiledRule[], write: writerFor(path), ...(zip ? { zip } : {}) };
}
