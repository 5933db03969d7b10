/**
 * A rule's `when:` compiled with the rule (condition.ts), its problems located in the mapping file,
 * and the columns it reads and the places it compares a day with `today` reported beside it.
 */

import type { YamlPath } from '../catalog/yaml-source.js';
import { problemAt, type YamlSource } from '../catalog/yaml-source.js';
import type { Problem } from '../core/errors.js';
import { type ColumnCheck, type Condition, type ConditionProblem, compileCondition } from './condition.js';

/** What a rule's `when` needs of the compile. */
export interface WhenContext {
  src: YamlSource;
  problems: Problem[];
  /** The source's fields, when known: a `when` column outside them is a compile problem. */
  sourceFields?: ReadonlySet<string>;
}

export interface CompiledWhen {
  condition: Condition | undefined;
  /** Columns the condition reads. */
  columns: string[];
  /** `file:line` of each `before: today` / `after: today` in it. */
  todayAt: string[];
}

export function compileWhen(
  raw: Record<string, unknown>,
  at: (string | number)[],
  ctx: WhenContext,
): CompiledWhen {
  if (!('when' in raw)) return { condition: undefined, columns: [], todayAt: [] };
  const problems: ConditionProblem[] = [];
  const columns = new Set<string>();
  const todays: YamlPath[] = [];
  const condition = compileCondition(
    raw.when,
    [...at, 'when'],
    problems,
    columns,
    sourceFieldCheck(ctx.sourceFields),
    todays,
  );
  for (const p of problems) ctx.problems.push(problemAt(ctx.src, p.at, `when: ${p.message}`));
  const todayAt = todays.map((p) => `${ctx.src.file}:${problemAt(ctx.src, p, '').line}`);
  return { condition, columns: [...columns], todayAt };
}

/** The words of the problem a `when` column outside the source's fields gives. */
export const UNKNOWN_SOURCE_FIELD = 'is not a field of the source';

/**
 * A column outside the source's fields, named with the fields that are there (some of them); for
 * `when`, `from` and `template` alike (rule.ts).
 */
export function sourceFieldCheck(fields: ReadonlySet<string> | undefined): ColumnCheck | undefined {
  if (!fields || fields.size === 0) return undefined;
  return (column) => {
    if (fields.has(column)) return null;
    const all = [...fields];
    const same = all.find((f) => f.toUpperCase() === column.toUpperCase());
    const listed = all.slice(0, 12).map((f) => `\`${f}\``);
    const hint =
      same !== undefined
        ? `did you mean \`${same}\`?`
        : `its fields: ${listed.join(', ')}${all.length > 12 ? `, … (${all.length} in all)` : ''}`;
    return `column \`${column}\` ${UNKNOWN_SOURCE_FIELD}; ${hint}`;
  };
}
