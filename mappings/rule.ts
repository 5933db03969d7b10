/**
 * One field rule of a mapping file, compiled to a closure:
 * `{ from | const | template, when?, transform?, lookup?, fallback?, default?, required? }`.
 * The order at run time: when → value → raw-input steps (charset repair) → input checks →
 * transforms → default (on empty) or lookup → required.
 */
import { hasResidentIdShape, isPersonalPath, maskNumberShapes, showValue } from '../catalog/personal.js';
import type { YamlSource } from '../catalog/yaml-source.js';
import { problemAt } from '../catalog/yaml-source.js';
import type { Problem } from '../core/errors.js';
import { writtenAt, yamlNodeAt } from './as-written.js';
import type { Condition, MapEnv } from './condition.js';
import type { Dictionary } from './dictionaries.js';
import { inlineDictionary } from './dictionaries.js';
import { checkInput, firstControl, type InputProblem } from './input-guard.js';
import { lookupMissMessage } from './lookup-miss.js';
import type { OutputPath } from './output-path.js';
import { feedOf } from './personal-feeds.js';
import { compileWhen, sourceFieldCheck } from './rule-when.js';
import { checkCodeListValues, hasCodeList } from './status-values.js';
import { trimEndPadding } from './step.js';
import { compileTemplate } from './template.js';
import { numberText, type TransformRegistry } from './transforms.js';
import type { InputValue, MapReason, MapValue, TransformStep } from './types.js';

export { UNKNOWN_SOURCE_FIELD } from './rule-when.js';

export const RULE_KEYS = [
  'from',
  'const',
  'template',
  'when',
  'transform',
  'lookup',
  'fallback',
  'default',
  'required',
] as const;

/** The rule's `when` does not hold for this row. One shared object: skipping allocates nothing. */
export const SKIP: Readonly<{ skip: true }> = Object.freeze({ skip: true });

/** `skip`: the rule's `when` does not hold for this row. */
export type RuleOutcome = { ok: true; value: MapValue } | { ok: false; reason: MapReason } | typeof SKIP;

export interface CompiledRule {
  path: OutputPath;
  /** The column read (`from`), or the template's columns joined by `,`. */
  column?: string;
  /** Columns read by `when`. */
  conditionColumns: readonly string[];
  /** `file:line` of each place its `when` compares a day with `today`. */
  todayAt: readonly string[];
  /** The value is personal data: masked in every reason. */
  personal: boolean;
  /** The field written is personal by its path (holder.name, contact.*, …), not by a listed column. */
  personalPath: boolean;
  /** `file:line` of the rule. */
  location: string;
  /**
   * The transforms among its own that only change a text's form (FORM_TRANSFORMS), in order: what
   * the `number` rule does to a number is done to the number a renewal names (predecessor-number-form.ts).
   */
  forms: readonly string[];
  run(values: Readonly<Record<string, InputValue>>, env?: MapEnv): RuleOutcome;
}

export interface RuleContext {
  src: YamlSource;
  transforms: TransformRegistry;
  personalColumns: ReadonlySet<string>;
  /** The mapping's holder is a legal person (`holder.idType` a constant `001`/`099`): its name and id are not personal. */
  legalHolder?: boolean;
  dictionaries: ReadonlyMap<string, Dictionary>;
  problems: Problem[];
  /** The source's fields, when known: a `when` column outside them is a compile problem. */
  sourceFields?: ReadonlySet<string>;
  /** The columns every row carries, when known: a `from` or `template` column outside them is a compile problem. */
  rowColumns?: ReadonlySet<string>;
  /** Column → the personal field it feeds, filled once every rule is compiled (personal-feeds.ts). */
  personalFeeds?: ReadonlyMap<string, string>;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const isEmpty = (v: MapValue): boolean => v === null || v === '' || (Array.isArray(v) && v.length === 0);

/** Deep copy of YAML-given values, so no row's draft shares an array or object with another's. */
const copy = (v: MapValue): MapValue => (v !== null && typeof v === 'object' ? structuredClone(v) : v);

interface Steps {
  /** Steps that take raw bytes or mojibake (charset repair): input checks run after them. */
  raw: TransformStep[];
  rest: TransformStep[];
  /** The names of the steps that only change a text's form, in order (FORM_TRANSFORMS). */
  forms: string[];
  /** The first of `rest` is `trim`: NUL padding at the end passes the input checks, to be trimmed. */
  trimsFirst: boolean;
}

/**
 * Built-in transforms that change a text's form only — white space, character width, case, Unicode
 * composition — never which text it is beyond that. A name in the registry is the built-in one
 * (`register` refuses a taken name).
 */
export const FORM_TRANSFORMS: ReadonlySet<string> = new Set([
  'trim',
  'halfWidth',
  'fullWidth',
  'upper',
  'lower',
  'nfc',
]);

function compileSteps(raw: unknown, at: readonly (string | number)[], ctx: RuleContext): Steps {
  const out: Steps = { raw: [], rest: [], forms: [], trimsFirst: false };
  if (!Array.isArray(raw)) {
    ctx.problems.push(problemAt(ctx.src, at, 'expected `transform` to be a list, e.g. [trim, upper]'));
    return out;
  }
  raw.forEach((item: unknown, i) => {
    const where = [...at, i];
    let name: string;
    let argument: unknown;
    let hasArgument = false;
    if (typeof item === 'string') {
      name = item;
    } else if (isRecord(item) && Object.keys(item).length === 1) {
      name = Object.keys(item)[0] as string;
      // `{ default: 00 }` writes a code, as the rule key `default` does: as written. Other
      // arguments stay as parsed (`{ pad: { length: 08 } }` is a number).
      argument = name === 'default' ? writtenAt(ctx.src, [...where, name], item[name]) : item[name];
      hasArgument = true;
    } else {
      ctx.problems.push(
        problemAt(ctx.src, where, 'expected a transform name or a one-key map like { date: [yyyyMMdd] }'),
      );
      return;
    }
    const definition = ctx.transforms.get(name);
    if (!definition) {
      const known = ctx.transforms.names().join(', ');
      ctx.problems.push(problemAt(ctx.src, where, `unknown transform \`${name}\`; known: ${known}`));
      return;
    }
    if (definition.argument === 'required' && !hasArgument) {
      ctx.problems.push(problemAt(ctx.src, where, `transform \`${name}\` needs an argument: { ${name}: … }`));
      return;
    }
    if (definition.argument === 'none' && hasArgument) {
      ctx.problems.push(problemAt(ctx.src, where, `transform \`${name}\` takes no argument; write it bare`));
      return;
    }
    const step = definition.compile(argument);
    if (typeof step !== 'function') {
      const [message, inner] = typeof step === 'string' ? [step, []] : [step.message, step.at];
      ctx.problems.push(
        problemAt(ctx.src, hasArgument ? [...where, name, ...inner] : where, `${name}: ${message}`),
      );
      return;
    }
    if (definition.rawInput) {
      if (out.rest.length > 0) {
        ctx.problems.push(
          problemAt(ctx.src, where, `transform \`${name}\` works on raw source text; put it first`),
        );
        return;
      }
      out.raw.push(step);
    } else {
      if (out.rest.length === 0 && name === 'trim') out.trimsFirst = true;
      out.rest.push(step);
      if (FORM_TRANSFORMS.has(name)) out.forms.push(name);
    }
  });
  return out;
}

function compileLookup(raw: Record<string, unknown>, at: (string | number)[], ctx: RuleContext) {
  const lookup = raw.lookup;
  if (lookup === undefined) return undefined;
  if (typeof lookup === 'string') {
    const dict = ctx.dictionaries.get(lookup);
    // One defined but refused (file unreadable, a code twice) has its problems told there, not here.
    if (!dict && yamlNodeAt(ctx.src, ['dictionaries', lookup]) === undefined) {
      const known = [...ctx.dictionaries.keys()].join(', ') || 'none';
      ctx.problems.push(
        problemAt(ctx.src, [...at, 'lookup'], `unknown dictionary \`${lookup}\`; defined: ${known}`),
      );
    }
    return dict;
  }
  if (!isRecord(lookup)) {
    ctx.problems.push(
      problemAt(
        ctx.src,
        [...at, 'lookup'],
        'expected `lookup` to map codes to plain values, or name a dictionary',
      ),
    );
    return undefined;
  }
  return inlineDictionary(lookup, ctx.src, [...at, 'lookup'], ctx.problems);
}

/**
 * The input check's message, for a control character with where it stands (its code point and
 * character count, never the value), and for a NUL ending the value, the `trim` that takes it.
 */
function controlMessage(problem: InputProblem, value: unknown, trimsFirst: boolean): string {
  if (problem.code !== 'LB_MAP_CONTROL_CHAR' || typeof value !== 'string') return problem.message;
  const at = firstControl(value);
  if (at === undefined) return problem.message;
  const code = `U+${at.codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
  const padded = !trimsFirst && value.charCodeAt(value.length - 1) === 0;
  const hint =
    padded && firstControl(trimEndPadding(value)) === undefined
      ? "; NUL padding at its end: put `trim` first in the rule's transforms"
      : '';
  return `${problem.message} (${code} at character ${at.index + 1})${hint}`;
}

const NEEDS_TRANSFORM = 'a date or binary value needs a transform (e.g. { date: [...] })';

/** Rule keys whose values are codes compared or written as text: read as written (as-written.ts). */
const WRITTEN_KEYS = ['const', 'fallback', 'default', 'when'] as const;

/**
 * The rule with `const`, `fallback`, `default` and every value in `when` as written, so
 * `const: 001` writes the code 001 and `in: [01, 02]` matches source code "02" (YAML reads both as
 * numbers). Other keys stay as parsed: transform arguments such as `{ pad: { length: 08 } }` are
 * numbers.
 */
export function ruleAsWritten(raw: unknown, at: readonly (string | number)[], src: YamlSource): unknown {
  if (!isRecord(raw)) return raw;
  const out = { ...raw };
  for (const key of WRITTEN_KEYS) if (key in out) out[key] = writtenAt(src, [...at, key], out[key]);
  return out;
}

/** Compiles one rule at `at`; pushes located problems and returns undefined when it cannot be compiled. */
export function compileRule(
  path: OutputPath,
  rawParsed: unknown,
  at: (string | number)[],
  ctx: RuleContext,
): CompiledRule | undefined {
  const before = ctx.problems.length;
  if (!isRecord(rawParsed)) {
    ctx.problems.push(problemAt(ctx.src, at, 'expected a rule map like { from: COLUMN, transform: [trim] }'));
    return undefined;
  }
  const raw = ruleAsWritten(rawParsed, at, ctx.src) as Record<string, unknown>;
  for (const key of Object.keys(raw)) {
    if (!(RULE_KEYS as readonly string[]).includes(key)) {
      const expected = RULE_KEYS.join(', ');
      ctx.problems.push(
        problemAt(ctx.src, [...at, key], `unknown rule key \`${key}\`; expected ${expected}`, true),
      );
    }
  }
  const sources = (['from', 'const', 'template'] as const).filter((k) => k in raw);
  if (sources.length !== 1) {
    ctx.problems.push(
      problemAt(ctx.src, at, 'expected exactly one of `from` (a column), `const` (a value) or `template`'),
    );
  }
  if ('from' in raw && (typeof raw.from !== 'string' || raw.from === '')) {
    ctx.problems.push(problemAt(ctx.src, [...at, 'from'], 'expected `from` to be a column name'));
  }
  const template = 'template' in raw ? compileTemplate(raw.template) : undefined;
  if (typeof template === 'string') ctx.problems.push(problemAt(ctx.src, [...at, 'template'], template));
  const when = compileWhen(raw, at, ctx);
  // A `from` or `template` column the source lacks quarantines every row (LB_MAP_COLUMN).
  const unknownField = sourceFieldCheck(ctx.rowColumns);
  if (unknownField && typeof raw.from === 'string' && raw.from !== '') {
    const message = unknownField(raw.from);
    if (message) ctx.problems.push(problemAt(ctx.src, [...at, 'from'], message));
  }
  if (unknownField && typeof template === 'object') {
    for (const c of template.columns) {
      const message = unknownField(c);
      if (message) ctx.problems.push(problemAt(ctx.src, [...at, 'template'], message));
    }
  }
  const steps =
    'transform' in raw
      ? compileSteps(raw.transform, [...at, 'transform'], ctx)
      : { raw: [], rest: [], forms: [], trimsFirst: false };
  const table = compileLookup(raw, at, ctx);
  if ('fallback' in raw && raw.lookup === undefined) {
    const message = '`fallback` is the value for codes `lookup` misses; add a lookup';
    ctx.problems.push(problemAt(ctx.src, [...at, 'fallback'], message, true));
  }
  if ('required' in raw && typeof raw.required !== 'boolean') {
    ctx.problems.push(problemAt(ctx.src, [...at, 'required'], 'expected `required` to be true or false'));
  }
  if (hasCodeList(path.text)) checkCodeListValues(path.text, raw, table, at, ctx.src, ctx.problems);
  if (ctx.problems.length > before) return undefined;

  const fromColumn = typeof raw.from === 'string' ? raw.from : undefined;
  const tpl = typeof template === 'object' ? template : undefined;
  const column = fromColumn ?? tpl?.columns.join(',');
  const readColumns = fromColumn !== undefined ? [fromColumn] : (tpl?.columns ?? []);
  const constant = raw.const as MapValue;
  const hasFallback = 'fallback' in raw;
  const fallback = raw.fallback as MapValue;
  const hasDefault = 'default' in raw;
  const defaultValue = raw.default as MapValue;
  const required = raw.required === true;
  const legalHolderField =
    ctx.legalHolder === true && (path.text === 'holder.name' || path.text === 'holder.id');
  const personalPath =
    !legalHolderField &&
    ((path.text.startsWith('holder.') && path.text !== 'holder.idType') || isPersonalPath(path.plain));
  const personal = personalPath || readColumns.some((c) => ctx.personalColumns.has(c));
  const location = `${ctx.src.file}:${problemAt(ctx.src, at, '', true).line}`;
  const condition: Condition | undefined = when.condition;

  const failure = (code: string, message: string, value: unknown, col = column): RuleOutcome => {
    const reason: MapReason = {
      code,
      // A step's message may quote the text it read: no ID, mobile or passport number survives into
      // the ledger (maskNumberShapes, as the reason's value: showValue).
      message: `mapping: ${path.text}: ${maskNumberShapes(message)}`,
      path: path.text,
      location,
    };
    if (col !== undefined) reason.column = col;
    // A mapping declaring its holders organisations still masks a holder id of a resident ID
    // number's shape: a person's licence may sit among them (catalog/personal.ts). A column
    // feeding a personal field is masked as that field (personal-feeds.ts).
    const masking = personal || (legalHolderField && hasResidentIdShape(value));
    const feed = masking || value === undefined ? undefined : feedOf(ctx.personalFeeds, col);
    const shown =
      value === undefined ? undefined : showValue(feed ?? path.plain, value, masking || feed !== undefined);
    if (shown !== undefined) reason.value = shown;
    return { ok: false, reason };
  };

  // A blank code the table does not list is no code, as NULL is (Oracle stores '' as NULL; `when:
  // { empty }`, `default` and `required` take both as empty): no value, then `default` or
  // `required`, never the `fallback` that stands in for a code the table lacks.
  const blankCode = (value: MapValue): boolean =>
    table !== undefined &&
    typeof value === 'string' &&
    value.trim() === '' &&
    !table.has(value) &&
    !table.has('');

  const lookUp = (value: MapValue, original: unknown): RuleOutcome => {
    if (!table || value === null) return { ok: true, value };
    if (Array.isArray(value)) {
      const out: MapValue[] = [];
      for (const item of value) {
        const r = lookUp(item, original);
        if (!('ok' in r) || !r.ok) return r;
        out.push(r.value);
      }
      return { ok: true, value: out };
    }
    const key = typeof value === 'number' ? numberText(value) : String(value);
    const hit = table.get(key);
    if (hit !== undefined || table.has(key)) return { ok: true, value: hit ?? null };
    // A CHAR(2) code column reads `'1 '` where the table says `1` (a source without `trim`, a file
    // export): the code is the trimmed text, as `when` compares it, or `fallback` stood in for a
    // code the table holds.
    const trimmed = key.trim();
    if (trimmed !== key && table.has(trimmed)) return { ok: true, value: table.get(trimmed) ?? null };
    if (blankCode(value)) return { ok: true, value: null };
    // A date or bytes are looked up by their JavaScript text (the host zone's long date, bytes as
    // decimal numbers joined by commas: `48,49` for `01`), which no table holds: such a value
    // needs a transform, and the fallback must not stand in for every row of it.
    if (value instanceof Date || value instanceof Uint8Array)
      return failure('LB_MAP_TYPE', NEEDS_TRANSFORM, original);
    if (hasFallback) return { ok: true, value: copy(fallback) };
    return failure('LB_MAP_LOOKUP', lookupMissMessage(key, table), original);
  };

  return {
    path,
    location,
    personal,
    personalPath,
    forms: steps.forms,
    conditionColumns: when.columns,
    todayAt: when.todayAt,
    ...(column === undefined ? {} : { column }),
    run(values, env) {
      if (condition) {
        const holds = condition(values, env);
        if (holds === false) return SKIP;
        if (holds !== true)
          return failure(
            'LB_MAP_COLUMN',
            `column ${holds.missing} of \`when\` is not in the row`,
            undefined,
            holds.missing,
          );
      }
      let value: MapValue;
      let original: unknown;
      if (fromColumn !== undefined) {
        if (!Object.hasOwn(values, fromColumn))
          return failure('LB_MAP_COLUMN', `column ${fromColumn} is not in the row`, undefined);
        original = values[fromColumn];
        value = original as InputValue;
      } else if (tpl) {
        const rendered = tpl.render(values);
        if (!rendered.ok) return failure(rendered.code, rendered.message, undefined, rendered.column);
        value = rendered.value;
        original = rendered.value;
      } else {
        value = copy(constant);
      }
      for (const step of steps.raw) {
        const r = step(value, env);
        if (!r.ok) return failure(r.code, r.message, original);
        value = r.value;
      }
      if (fromColumn !== undefined || tpl) {
        // NUL padding at the end is trimmed by a `trim` first (trimPadding); any other NUL is refused,
        // its place counted in the value as read.
        const checked =
          steps.trimsFirst && typeof value === 'string' && value.includes('\u0000')
            ? trimEndPadding(value)
            : value;
        const problem = checkInput(checked as InputValue);
        if (problem)
          return failure(problem.code, controlMessage(problem, checked, steps.trimsFirst), original);
      }
      for (const step of steps.rest) {
        const r = step(value, env);
        if (!r.ok) return failure(r.code, r.message, original);
        value = r.value;
      }
      if (blankCode(value)) value = null;
      if (isEmpty(value) && hasDefault) {
        value = copy(defaultValue);
      } else if (table && value !== null) {
        const r = lookUp(value, original);
        if (!('ok' in r) || !r.ok) return r;
        value = r.value;
      }
      if (value instanceof Date || value instanceof Uint8Array) {
        return failure('LB_MAP_TYPE', NEEDS_TRANSFORM, original);
      }
      if (required && isEmpty(value))
        return failure('LB_MAP_REQUIRED', 'value is required but empty', original);
      return { ok: true, value };
    },
  };
}
