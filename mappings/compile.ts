/**
 * Compiles a mapping file (YAML `fields:` of output path → rule) ONCE into a pipeline of plain
 * closures: no eval, no `new Function`. Every problem in the file — unknown transform, bad
 * argument, unknown key, unknown output path — is a ConfigError with file:line:col at compile
 * time, never a per-row surprise.
 */
import { readFile } from 'node:fs/promises';
import { sm3Hex } from '../catalog/sm3.js';
import { parseYamlSource, problemAt } from '../catalog/yaml-source.js';
import { ConfigError, type Problem } from '../core/errors.js';
import { type CompiledRule, compileRule } from './rule.js';
import { createTransformRegistry, type TransformRegistry } from './transforms.js';
import type { CompiledMapping, LicenseDraft, MapReason, RuleOrigin } from './types.js';

export interface CompileOptions {
  /** Transforms the file may use. @defaultValue the built-ins */
  transforms?: TransformRegistry;
}

const TOP_KEYS = ['fields', 'personal', 'description'] as const;

/** The License paths a mapping may write; `surface.*` is checked by the catalog entry. */
const DRAFT_PATHS = new Set([
  'number',
  'holder.name',
  'holder.idType',
  'holder.id',
  'issueDate',
  'validFrom',
  'validTo',
  'status',
  'areaCode',
]);
const SEGMENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

function pathProblem(path: string): string | null {
  if (DRAFT_PATHS.has(path)) return null;
  if (path.startsWith('surface.')) {
    const segments = path.slice('surface.'.length).split('.');
    if (segments.every((s) => SEGMENT.test(s) && !FORBIDDEN.has(s))) return null;
    return `surface path \`${path}\` must be dot-separated names`;
  }
  return `unknown output path \`${path}\`; expected one of ${[...DRAFT_PATHS].join(', ')} or surface.<field>`;
}

function setPath(target: Record<string, unknown>, segments: readonly string[], value: unknown): void {
  let node = target;
  for (const seg of segments.slice(0, -1)) {
    let next = node[seg];
    if (next === null || typeof next !== 'object') {
      next = {};
      node[seg] = next;
    }
    node = next as Record<string, unknown>;
  }
  node[segments[segments.length - 1] as string] = value;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export function compileMappingText(
  text: string,
  file: string,
  options: CompileOptions = {},
): CompiledMapping {
  const src = parseYamlSource(text, file);
  if (src.problems.length > 0) throw new ConfigError(src.problems);
  const data: unknown = src.doc.toJS();
  const problems: Problem[] = [];
  if (!isRecord(data)) throw new ConfigError([problemAt(src, [], 'expected a map with `fields:`')]);
  for (const key of Object.keys(data)) {
    if (!(TOP_KEYS as readonly string[]).includes(key)) {
      problems.push(problemAt(src, [key], `unknown key \`${key}\`; expected ${TOP_KEYS.join(', ')}`, true));
    }
  }
  const personal = data.personal ?? [];
  if (!Array.isArray(personal) || !personal.every((c) => typeof c === 'string')) {
    problems.push(problemAt(src, ['personal'], 'expected `personal` to be a list of column names'));
  }
  const fields = data.fields;
  if (!isRecord(fields) || Object.keys(fields).length === 0) {
    problems.push(
      problemAt(src, isRecord(fields) ? ['fields'] : [], 'expected `fields:` to map output paths to rules'),
    );
    throw new ConfigError(problems);
  }
  const ctx = {
    src,
    transforms: options.transforms ?? createTransformRegistry(),
    personalColumns: new Set(Array.isArray(personal) ? (personal as string[]) : []),
    problems,
  };
  const rules: CompiledRule[] = [];
  const paths = Object.keys(fields);
  for (const path of paths) {
    const bad = pathProblem(path);
    if (bad) {
      problems.push(problemAt(src, ['fields', path], bad, true));
      continue;
    }
    // `surface.a` and `surface.a.b` cannot both be written.
    const clash = paths.find((other) => other.startsWith(`${path}.`));
    if (clash) {
      problems.push(problemAt(src, ['fields', path], `\`${path}\` clashes with \`${clash}\``, true));
      continue;
    }
    const rule = compileRule(path, fields[path], ctx);
    if (rule) rules.push(rule);
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const origins: Record<string, RuleOrigin> = {};
  for (const r of rules)
    origins[r.path] =
      r.column === undefined ? { location: r.location } : { column: r.column, location: r.location };
  const columns = [...new Set(rules.flatMap((r) => (r.column === undefined ? [] : [r.column])))];
  return Object.freeze({
    file,
    version: sm3Hex(text),
    fields: Object.freeze(paths),
    columns: Object.freeze(columns),
    origins: Object.freeze(origins),
    map(values) {
      try {
        const draft: Record<string, unknown> = { surface: {} };
        const reasons: MapReason[] = [];
        for (const rule of rules) {
          const outcome = rule.run(values);
          if (outcome.ok) setPath(draft, rule.segments, outcome.value);
          else reasons.push(outcome.reason);
        }
        if (reasons.length > 0) return { ok: false, reasons };
        return { ok: true, fields: draft as unknown as LicenseDraft };
      } catch (e) {
        // map() never throws: a row that breaks the mapper is quarantined, the page goes on.
        const message = e instanceof Error ? e.message : String(e);
        return {
          ok: false,
          reasons: [{ code: 'LB_MAP_INTERNAL', message: `mapping: ${message}`, location: file }],
        };
      }
    },
  } satisfies CompiledMapping);
}

/** Reads and compiles a mapping file. */
export async function compileMapping(file: string, options: CompileOptions = {}): Promise<CompiledMapping> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new ConfigError([{ file, line: 1, column: 1, path: '', message: 'mapping file is not readable' }], {
      cause: e,
    });
  }
  return compileMappingText(text, file, options);
}
