/**
 * Compiles a mapping file (YAML `fields:` of output path → rule, or → a list of rules tried in
 * order by their `when`) ONCE into a pipeline of plain closures: no eval, no `new Function`, no
 * user JavaScript. Every problem in the file — unknown transform, bad argument, unknown key,
 * unknown output path, unknown dictionary, non-canonical status — is a ConfigError with
 * file:line:col at compile time, never a per-row surprise.
 */
import { readFile } from 'node:fs/promises';
import { jcs } from '../catalog/canonical.js';
import { toHolderContact } from '../catalog/holder-contact.js';
import { isLegalPersonIdType, maskNumberShapes } from '../catalog/personal.js';
import { sm3Hex } from '../catalog/sm3.js';
import { parseYamlSource, problemAt, type YamlSource } from '../catalog/yaml-source.js';
import { ConfigError, type Problem } from '../core/errors.js';
import { utf8Text } from '../core/not-utf8.js';
import { readFailure } from '../core/read-failure.js';
import { yamlData } from './as-written.js';
import { heldDictionaries, heldMapping, keepMapping, readsKey } from './compiled-mappings.js';
import { buildDictionaries, dictionaryFiles } from './dictionaries.js';
import { compileField, type Draft, type Field, zipProblem } from './mapping-field.js';
import { listShapeClash, type OutputPath, parseOutputPath, pathsClash } from './output-path.js';
import { maskPersonHolderNames } from './person-holder-reasons.js';
import { checkPersonalColumns } from './personal-columns.js';
import { personalFeed, personalFeeds } from './personal-feeds.js';
import { predecessorNumberForm, toNumberForm } from './predecessor-number-form.js';
import { type CompiledRule, type RuleContext, type RuleOutcome, ruleAsWritten, SKIP } from './rule.js';
import { createTransformRegistry, type TransformRegistry } from './transforms.js';
import type { CompiledMapping, LicenseDraft, MapReason, RuleOrigin } from './types.js';

export interface CompileOptions {
  /** Transforms the file may use. @defaultValue the built-ins */
  transforms?: TransformRegistry;
  /**
   * Text of the dictionary files the mapping names, by absolute path (compileMapping reads them).
   * @defaultValue none: a mapping naming a dictionary file fails to compile
   */
  files?: ReadonlyMap<string, string>;
  /**
   * Why each dictionary file compileMapping could not read was not readable (`no such file`,
   * `permission denied`, …), by absolute path. @defaultValue none: such a file is only said to
   * be not readable
   */
  unreadable?: ReadonlyMap<string, string>;
  /**
   * The dictionary files compileMapping read that are not UTF-8 (a table saved as GBK), by
   * absolute path: the problem at each one's first damaged line. @defaultValue none
   */
  damaged?: ReadonlyMap<string, Problem>;
  /**
   * The fields of the source the mapping reads, when known (`config check --connect`): a `when`
   * condition naming a column outside them is a problem at its `column:`. @defaultValue not known:
   * nothing is checked against the source
   */
  sourceFields?: readonly string[];
  /**
   * The columns every row of the source carries, when known (a SQL table's or query's, listed by
   * `config check --connect`): a `from` or `template` column outside them, which would quarantine
   * every row with LB_MAP_COLUMN, is a problem at its rule. Not export files': a later export may
   * carry an element today's do not (a row without it is LB_MAP_COLUMN unless the source's `fields`
   * names it). @defaultValue not known: nothing is checked
   */
  rowColumns?: readonly string[];
}

const TOP_KEYS = ['fields', 'personal', 'dictionaries', 'description'] as const;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** True when `holder.idType` is one rule giving a legal person's id type as a constant. */
function constantLegalHolder(parsed: unknown, src: YamlSource): boolean {
  // `const: 001` unquoted is the id type 001, as the rule writes it (ruleAsWritten).
  const rule = ruleAsWritten(parsed, ['fields', 'holder.idType'], src);
  return isRecord(rule) && Object.keys(rule).every((k) => k === 'const') && isLegalPersonIdType(rule.const);
}

export function compileMappingText(
  text: string,
  file: string,
  options: CompileOptions = {},
): CompiledMapping {
  return compileParsed(parseYamlSource(text, file), text, options);
}

/** compileMappingText of a text already parsed: compileMapping parses it once, for its dictionaries too. */
function compileParsed(src: YamlSource, text: string, options: CompileOptions): CompiledMapping {
  const file = src.file;
  if (src.problems.length > 0) throw new ConfigError(src.problems);
  const data: unknown = yamlData(src);
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
  const feeds = new Map<string, string>();
  const ctx: RuleContext = {
    src,
    transforms: options.transforms ?? createTransformRegistry(),
    personalColumns: new Set(Array.isArray(personal) ? (personal as string[]) : []),
    legalHolder: constantLegalHolder(fields['holder.idType'], src),
    dictionaries: buildDictionaries(
      data.dictionaries,
      src,
      options.files ?? new Map(),
      problems,
      options.unreadable,
      options.damaged,
    ),
    problems,
    personalFeeds: feeds,
    ...(options.sourceFields ? { sourceFields: new Set(options.sourceFields) } : {}),
    ...(options.rowColumns ? { rowColumns: new Set(options.rowColumns) } : {}),
  };
  const compiled: Field[] = [];
  const parsed: OutputPath[] = [];
  for (const text of Object.keys(fields)) {
    const path = parseOutputPath(text);
    if (typeof path === 'string') {
      problems.push(problemAt(src, ['fields', text], path, true));
      continue;
    }
    // `surface.a` and `surface.a.b` (or `surface.a[]`) cannot both be written.
    const clash = parsed.find((other) => pathsClash(other, path));
    parsed.push(path);
    if (clash) {
      const listed = clash.plain === path.plain ? undefined : listShapeClash(clash, path);
      const why =
        listed === undefined ? '' : `: one writes \`${listed}\` as a list of items, the other as an object`;
      problems.push(
        problemAt(src, ['fields', text], `\`${text}\` clashes with \`${clash.text}\`${why}`, true),
      );
      continue;
    }
    const field = compileField(path, fields[text], ctx);
    if (field) compiled.push(field);
  }
  const read = compiled.flatMap((f) =>
    f.rules.flatMap((r) => [...(r.column === undefined ? [] : r.column.split(',')), ...r.conditionColumns]),
  );
  if (Array.isArray(personal)) checkPersonalColumns(personal, new Set(read), src, problems, ctx.rowColumns);
  if (problems.length > 0) throw new ConfigError(problems);
  // Columns read into a personal field count as personal in every rule reading them.
  personalFeeds(
    compiled.map((f) => ({ plain: f.path.plain, rules: f.rules })),
    feeds,
  );

  const origins: Record<string, RuleOrigin> = {};
  // Per field, the origin of each of its rules, made once: map() hands out a later rule's when the
  // row's `when`s chose it, so a reason about the value names the rule that wrote it.
  const ruleOrigins: (readonly RuleOrigin[])[] = [];
  for (const f of compiled) {
    // A value checked after the rules (the operation) is masked as the personal field its column feeds.
    const personal = f.rules.some((r) => r.personal) ? f.path.plain : personalFeed(f.rules, feeds);
    const own = f.rules.map(
      (rule): RuleOrigin =>
        Object.freeze({
          ...(rule.column === undefined ? {} : { column: rule.column }),
          location: rule.location,
          ...(personal === undefined ? {} : { personal }),
        }),
    );
    ruleOrigins.push(own);
    origins[f.path.text] = own[0] as RuleOrigin;
  }
  const numberForm = predecessorNumberForm(compiled, ctx.transforms);
  const hasContact = compiled.some((f) => f.path.text.startsWith('contact.'));
  const hasZips = compiled.some((f) => f.zip !== undefined);
  const holderIdColumns = origins['holder.id']?.column?.split(',') ?? [];
  const columns = [...new Set(read)];
  // A dictionary file changes what rows map to, so its text is part of the mapping's version.
  const used = [...(options.files ?? new Map<string, string>()).entries()].sort(([a], [b]) =>
    a < b ? -1 : 1,
  );
  const version = used.length === 0 ? sm3Hex(text) : sm3Hex(jcs([text, ...used.map(([, t]) => t)]));
  return Object.freeze({
    file,
    version,
    fields: Object.freeze(compiled.map((f) => f.path.text)),
    columns: Object.freeze(columns),
    personalColumns: Object.freeze([
      ...new Set([
        ...ctx.personalColumns,
        ...compiled.flatMap((f) =>
          f.rules.flatMap((r) => (r.personal && r.column ? r.column.split(',') : [])),
        ),
      ]),
    ]),
    origins: Object.freeze(origins),
    todayAt: Object.freeze([...new Set(compiled.flatMap((f) => f.rules.flatMap((r) => r.todayAt)))]),
    map(values, env) {
      try {
        const draft: Draft = { surface: {} };
        let reasons: MapReason[] | undefined;
        const zips = hasZips ? new Map<string, { count: number; path: string }>() : undefined;
        // Made only for a row where a field's later rule ran: most rows pay nothing for it.
        let writers: Record<string, RuleOrigin> | undefined;
        for (let f = 0; f < compiled.length; f++) {
          const field = compiled[f] as Field;
          const rules = field.rules;
          for (let r = 0; r < rules.length; r++) {
            const rule = rules[r] as CompiledRule;
            const result = rule.run(values, env);
            if (result === SKIP) continue;
            if (r > 0) {
              writers ??= {};
              writers[field.path.text] = (ruleOrigins[f] as readonly RuleOrigin[])[r] as RuleOrigin;
            }
            const outcome = result as Exclude<RuleOutcome, typeof SKIP>;
            const reason = outcome.ok ? zips && zipProblem(field, rule, outcome.value, zips) : outcome.reason;
            if (reason === undefined) {
              if (outcome.ok) field.write(draft, outcome.value);
            } else if (reasons === undefined) reasons = [reason];
            else reasons.push(reason);
            break;
          }
        }
        if (reasons !== undefined) {
          if (ctx.legalHolder)
            maskPersonHolderNames(
              reasons,
              (draft.holder as { id?: unknown } | undefined)?.id,
              values,
              holderIdColumns,
            );
          return writers === undefined ? { ok: false, reasons } : { ok: false, reasons, writers };
        }
        if (numberForm) toNumberForm(draft, numberForm, env);
        if (!hasContact)
          return writers === undefined
            ? { ok: true, fields: draft as unknown as LicenseDraft }
            : { ok: true, fields: draft as unknown as LicenseDraft, writers };
        // The contact leaves the draft here, so nothing downstream can put it into a license.
        const { contact, ...fields } = draft;
        return {
          ok: true,
          fields: fields as unknown as LicenseDraft,
          contact: toHolderContact(contact),
          ...(writers === undefined ? {} : { writers }),
        };
      } catch (e) {
        // map() never throws: a row that breaks the mapper is quarantined, the page goes on. The
        // error may quote the value it choked on: no ID, mobile or passport number goes into the reasons.
        const message = maskNumberShapes(e instanceof Error ? e.message : String(e));
        return {
          ok: false,
          reasons: [{ code: 'LB_MAP_INTERNAL', message: `mapping: ${message}`, location: file }],
        };
      }
    },
  } satisfies CompiledMapping);
}

/** The document's data, or nothing when it cannot be read (the compile then says why). */
function safeData(src: YamlSource): unknown {
  try {
    return yamlData(src);
  } catch {
    return undefined;
  }
}

/**
 * Reads a mapping file and the dictionary files it names, and compiles it. Called with no options,
 * as a runtime calls it for every run, it reuses the mapping compiled from the same text and
 * dictionaries earlier in the process (./compiled-mappings.ts): the files are read each time.
 */
export async function compileMapping(file: string, options: CompileOptions = {}): Promise<CompiledMapping> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (e) {
    throw new ConfigError(
      [{ file, line: 1, column: 1, path: '', message: `mapping file is not readable: ${readFailure(e)}` }],
      { cause: e },
    );
  }
  // A GBK mapping would write its constants as U+FFFD: refused at its first damaged line.
  const { text, problem } = utf8Text(bytes, file);
  if (problem) throw new ConfigError([problem]);
  // Options given (transforms, files, the source's fields) are part of what compiles: not kept.
  const reusable = Object.values(options).every((v) => v === undefined);
  const files = new Map(options.files ?? []);
  const unreadable = new Map(options.unreadable ?? []);
  const damaged = new Map(options.damaged ?? []);
  // The files a text names depend on that text and its path alone: an earlier compile's list
  // saves parsing it before the dictionaries are read.
  let src: YamlSource | undefined;
  let named = reusable ? heldDictionaries(file, text) : undefined;
  if (named === undefined) {
    src = parseYamlSource(text, file);
    named = src.problems.length === 0 ? dictionaryFiles(safeData(src), file) : [];
  }
  for (const path of named) {
    if (files.has(path)) continue;
    try {
      const read = utf8Text(await readFile(path), path);
      files.set(path, read.text);
      if (read.problem) damaged.set(path, read.problem);
    } catch (e) {
      // Left out: the compiler reports it, and why, at the `file:` line.
      unreadable.set(path, readFailure(e));
    }
  }
  const reads = reusable ? readsKey({ files, unreadable, damaged }) : undefined;
  const kept = reads === undefined ? undefined : heldMapping(file, text, reads);
  if (kept) return kept;
  const mapping = compileParsed(src ?? parseYamlSource(text, file), text, {
    ...options,
    files,
    unreadable,
    damaged,
  });
  if (reads !== undefined) keepMapping(file, text, named, reads, mapping);
  return mapping;
}
