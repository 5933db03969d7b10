/**
 * One field rule of a mapping file, compiled to a closure:
 * `{ from | const, transform?, lookup?, fallback?, default?, required? }`.
 */
import { isPersonalPath, showValue } from '../catalog/personal.js';
import type { YamlSource } from '../catalog/yaml-source.js';
import { problemAt } from '../catalog/yaml-source.js';
import type { Problem } from '../core/errors.js';
import { checkInput } from './input-guard.js';
import type { TransformRegistry } from './transforms.js';
import type { InputValue, MapReason, MapValue, TransformStep } from './types.js';

export const RULE_KEYS = ['from', 'const', 'transform', 'lookup', 'fallback', 'default', 'required'] as const;

export type RuleOutcome = { ok: true; value: MapValue } | { ok: false; reason: MapReason };

export interface CompiledRule {
  path: string;
  segments: string[];
  column?: string;
  /** `file:line` of the rule. */
  location: string;
  run(values: Readonly<Record<string, InputValue>>): RuleOutcome;
}

export interface RuleContext {
  src: YamlSource;
  transforms: TransformRegistry;
  personalColumns: ReadonlySet<string>;
  problems: Problem[];
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const isEmpty = (v: MapValue): boolean => v === null || v === '' || (Array.isArray(v) && v.length === 0);

const isScalar = (v: unknown): boolean =>
  v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/** Deep copy of YAML-given values, so no row's draft shares an array or object with another's. */
const copy = (v: MapValue): MapValue => (v !== null && typeof v === 'object' ? structuredClone(v) : v);

function compileSteps(raw: unknown, at: readonly (string | number)[], ctx: RuleContext): TransformStep[] {
  if (!Array.isArray(raw)) {
    ctx.problems.push(problemAt(ctx.src, at, 'expected `transform` to be a list, e.g. [trim, upper]'));
    return [];
  }
  const steps: TransformStep[] = [];
  raw.forEach((item: unknown, i) => {
    const where = [...at, i];
    let name: string;
    let argument: unknown;
    let hasArgument = false;
    if (typeof item === 'string') {
      name = item;
    } else if (isRecord(item) && Object.keys(item).length === 1) {
      name = Object.keys(item)[0] as string;
      argument = item[name];
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
    if (typeof step === 'string') {
      ctx.problems.push(problemAt(ctx.src, hasArgument ? [...where, name] : where, `${name}: ${step}`));
      return;
    }
    steps.push(step);
  });
  return steps;
}

/** Compiles one rule; pushes located problems and returns undefined when it cannot be compiled. */
export function compileRule(path: string, raw: unknown, ctx: RuleContext): CompiledRule | undefined {
  const at = ['fields', path];
  const before = ctx.problems.length;
  if (!isRecord(raw)) {
    ctx.problems.push(problemAt(ctx.src, at, 'expected a rule map like { from: COLUMN, transform: [trim] }'));
    return undefined;
  }
  for (const key of Object.keys(raw)) {
    if (!(RULE_KEYS as readonly string[]).includes(key)) {
      ctx.problems.push(
        problemAt(
          ctx.src,
          [...at, key],
          `unknown rule key \`${key}\`; expected ${RULE_KEYS.join(', ')}`,
          true,
        ),
      );
    }
  }
  const hasFrom = 'from' in raw;
  const hasConst = 'const' in raw;
  if (hasFrom === hasConst) {
    ctx.problems.push(
      problemAt(ctx.src, at, 'expected exactly one of `from` (a column) or `const` (a value)'),
    );
  }
  if (hasFrom && (typeof raw.from !== 'string' || raw.from === '')) {
    ctx.problems.push(problemAt(ctx.src, [...at, 'from'], 'expected `from` to be a column name'));
  }
  const steps = 'transform' in raw ? compileSteps(raw.transform, [...at, 'transform'], ctx) : [];
  const lookup = raw.lookup;
  if (lookup !== undefined && (!isRecord(lookup) || !Object.values(lookup).every(isScalar))) {
    ctx.problems.push(
      problemAt(ctx.src, [...at, 'lookup'], 'expected `lookup` to map codes to plain values'),
    );
  }
  if ('fallback' in raw && lookup === undefined) {
    ctx.problems.push(
      problemAt(
        ctx.src,
        [...at, 'fallback'],
        '`fallback` is the value for codes `lookup` misses; add a lookup',
        true,
      ),
    );
  }
  if ('required' in raw && typeof raw.required !== 'boolean') {
    ctx.problems.push(problemAt(ctx.src, [...at, 'required'], 'expected `required` to be true or false'));
  }
  if (ctx.problems.length > before) return undefined;

  const column = hasFrom ? (raw.from as string) : undefined;
  const constant = raw.const as MapValue;
  const table = lookup as Record<string, MapValue> | undefined;
  const hasFallback = 'fallback' in raw;
  const fallback = raw.fallback as MapValue;
  const hasDefault = 'default' in raw;
  const defaultValue = raw.default as MapValue;
  const required = raw.required === true;
  const personal =
    (path.startsWith('holder.') && path !== 'holder.idType') ||
    isPersonalPath(path) ||
    (column !== undefined && ctx.personalColumns.has(column));
  const location = `${ctx.src.file}:${problemAt(ctx.src, at, '', true).line}`;

  const failure = (code: string, message: string, value: unknown): RuleOutcome => {
    const reason: MapReason = { code, message: `mapping: ${path}: ${message}`, path, location };
    if (column !== undefined) reason.column = column;
    const shown = value === undefined ? undefined : showValue(path, value, personal);
    if (shown !== undefined) reason.value = shown;
    return { ok: false, reason };
  };

  const lookUp = (value: MapValue, raw: unknown): RuleOutcome => {
    if (!table || value === null) return { ok: true, value };
    if (Array.isArray(value)) {
      const out: MapValue[] = [];
      for (const item of value) {
        const r = lookUp(item, raw);
        if (!r.ok) return r;
        out.push(r.value);
      }
      return { ok: true, value: out };
    }
    const key = String(value);
    if (Object.hasOwn(table, key)) return { ok: true, value: table[key] as MapValue };
    if (hasFallback) return { ok: true, value: copy(fallback) };
    return failure('LB_MAP_LOOKUP', `code is not in the lookup (${Object.keys(table).join(', ')})`, raw);
  };

  return {
    path,
    segments: path.split('.'),
    location,
    ...(column === undefined ? {} : { column }),
    run(values) {
      let value: MapValue;
      let raw: unknown;
      if (column === undefined) {
        value = copy(constant);
      } else {
        if (!Object.hasOwn(values, column))
          return failure('LB_MAP_COLUMN', `column ${column} is not in the row`, undefined);
        raw = values[column];
        const problem = checkInput(raw as InputValue);
        if (problem) return failure(problem.code, problem.message, raw);
        value = raw as InputValue;
      }
      for (const step of steps) {
        const r = step(value);
        if (!r.ok) return failure(r.code, r.message, raw);
        value = r.value;
      }
      if (isEmpty(value) && hasDefault) {
        value = copy(defaultValue);
      } else {
        const r = lookUp(value, raw);
        if (!r.ok) return r;
        value = r.value;
      }
      if (value instanceof Date || value instanceof Uint8Array) {
        return failure('LB_MAP_TYPE', 'a date or binary value needs a transform (e.g. { date: [...] })', raw);
      }
      if (required && isEmpty(value)) return failure('LB_MAP_REQUIRED', 'value is required but empty', raw);
      return { ok: true, value };
    },
  };
}
