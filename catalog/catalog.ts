/**
 * The license catalog (电子证照目录): one YAML file per license type, each compiled once into a
 * validator of the canonical License with that type's face fields.
 */

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { ConfigError, type Problem } from '../core/errors.js';
import { unknownKeyMessage } from '../core/invisible-text.js';
import { utf8Text } from '../core/not-utf8.js';
import { builtCatalog } from './built-catalogs.js';
import { jcs } from './canonical.js';
import { codeUnitLengthIsSafe } from './code-unit-length.js';
import { entryNameProblems } from './entry-names.js';
import { type FaceTemplate, faceProblems } from './face-template.js';
import { isIsoDate, registerFormats } from './formats.js';
import { isValidUscc, useValidationDay } from './holder-id.js';
import type { CodedName, License } from './license.js';
import {
  type AuthorityLevel,
  allowedIdTypes,
  CATALOG_ENTRY_SCHEMA,
  type HolderCategorySetting,
  holderCategoriesOf,
  licenseSchemaFor,
} from './license-schema.js';
import { checkAgainstMetaSchema, LICENSE_SCHEMA_OPTIONS } from './meta-schema-check.js';
import { sm3Hex } from './sm3.js';
import { surfaceSchemaPlace } from './surface-schema-place.js';
import { checkLicense, reasonsFromAjv } from './validate-license.js';
import { compiledFor } from './validator-cache.js';
import { changedValueProblems, unquotedAs } from './yaml-changed-values.js';
import {
  findKey,
  parsedYaml,
  parseYamlSource,
  pointerToPath,
  problemAt,
  type YamlSource,
} from './yaml-source.js';

/**
 * One located reason a license (or a row) is not accepted. Same shape as the ledger's
 * `QuarantineReason`; declared here because catalog may import only core.
 */
export interface LicenseProblem {
  code: string;
  message: string;
  path?: string;
  column?: string;
  value?: string;
  location?: string;
}

export interface CatalogEntry {
  /** 21-char license type code. */
  readonly code: string;
  readonly name: string;
  readonly defineAuthority: Readonly<CodedName>;
  /** One category, `both`, or a list: the holder's own category is decided per row by its id type. */
  readonly holderCategory: HolderCategorySetting;
  /** GB/T 36903 holder id types accepted; default every type of the categories. */
  readonly holderIdTypes?: readonly string[];
  /** Validity range as text, e.g. `5年`. */
  readonly validity?: string;
  readonly defineLevel?: AuthorityLevel;
  readonly issuerLevel?: AuthorityLevel;
  /** Related service items (关联事项). */
  readonly relatedItems?: readonly Readonly<CodedName>[];
  readonly description?: string;
  /** JSON Schema of the face fields. */
  readonly surface: Readonly<Record<string, unknown>>;
  /** Face template of the license file (照面模板). */
  readonly face?: FaceTemplate;
  /** Absolute path of the file the entry came from. */
  readonly file: string;
}

export interface Catalog {
  /** Hex SM3 over every entry's canonical JSON, sorted by code: changes when any entry changes. */
  readonly version: string;
  get(code: string): CatalogEntry | undefined;
  entries(): readonly CatalogEntry[];
  /**
   * Every reason the license is not valid for its type; empty when valid. Never throws.
   * `today` (`YYYY-MM-DD`): the day no resident id's birth date may be after — the day the row is
   * mapped on (pinned, or today in `lifecycle.timeZone`). @defaultValue today in China Standard Time
   */
  validate(license: License, today?: string): LicenseProblem[];
}

export interface CatalogSource {
  file: string;
  text: string;
}

let entryValidator: ValidateFunction | undefined;

// `holderCategory` is one value or a list (anyOf): its branch errors collapse into one problem.
const CATEGORY_HINT =
  'expected natural-person, legal-person, both, or a list such as [legal-person, natural-person]';

/** What a value outside a list of choices was read as; an unquoted code is a number to YAML. */
function gotValue(data: unknown, path: readonly (string | number)[]): string {
  let v = data;
  for (const seg of path)
    v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[seg] : undefined;
  if (typeof v === 'number')
    return `, got the number ${v}: quote codes, as YAML reads an unquoted 001 as the number 1`;
  return typeof v === 'string' ? `, got \`${v}\`` : '';
}

function entryProblems(src: YamlSource, allErrors: readonly ErrorObject[], data: unknown): Problem[] {
  const categoryFailed = allErrors.some((e) => e.instancePath.startsWith('/holderCategory'));
  const errors = allErrors.filter((e) => !e.instancePath.startsWith('/holderCategory'));
  const out = categoryFailed ? [problemAt(src, ['holderCategory'], CATEGORY_HINT)] : [];
  return out.concat(
    errors.map((e) => {
      const path = pointerToPath(e.instancePath);
      if (e.keyword === 'additionalProperties') {
        const extra = String((e.params as { additionalProperty: string }).additionalProperty);
        return problemAt(src, [...path, extra], unknownKeyMessage(extra), true);
      }
      if (e.keyword === 'required') {
        const missing = String((e.params as { missingProperty: string }).missingProperty);
        return { ...problemAt(src, path, `\`${missing}\` is required`), path: [...path, missing].join('.') };
      }
      if (e.keyword === 'enum') {
        const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.join(', ');
        return problemAt(src, path, `expected one of ${allowed}${gotValue(data, path)}`);
      }
      if (e.keyword === 'type' && (e.params as { type: unknown }).type === 'string') {
        const unquoted = unquotedAs(src, path);
        if (unquoted !== undefined) return problemAt(src, path, `must be text: ${unquoted}`);
      }
      return problemAt(src, path, e.message ?? e.keyword);
    }),
  );
}

/** A `holderIdTypes` entry outside the entry's categories can never be delivered: a load error. */
function idTypeProblems(src: YamlSource, entry: Omit<CatalogEntry, 'file'>): Problem[] {
  const listed = entry.holderIdTypes ?? [];
  const allowed = allowedIdTypes({ holderCategory: entry.holderCategory });
  return listed.flatMap((t, i) =>
    allowed.includes(t)
      ? []
      : [
          problemAt(
            src,
            ['holderIdTypes', i],
            `id type ${t} is not held by holderCategory ${holderCategoriesOf(entry.holderCategory).join(', ')}: add the category (e.g. holderCategory: both) or remove the type`,
          ),
        ],
  );
}

/** Reason text for a holder id type the entry does not accept: names the entry's setting and the fix. */
function idTypeHint(entry: CatalogEntry, idType: unknown): string {
  const categories = holderCategoriesOf(entry.holderCategory).join(', ');
  const allowed = allowedIdTypes(entry).join(', ');
  return (
    `license: holder.idType ${String(idType)} is not accepted by catalog entry ${entry.code} ` +
    `(holderCategory: ${categories}; id types ${allowed}): map holder.idType per row to one of these ` +
    '(a column with a lookup, or the holderIdType transform), or, when the law lets this holder kind ' +
    `hold the license, add its category to holderCategory (or its type to holderIdTypes) in ${entry.file}`
  );
}

interface Compiled {
  entry: CatalogEntry;
  validator: ValidateFunction;
  /** Same schema without allErrors: stops at the first error, the fast yes/no for valid rows. */
  quick: ValidateFunction;
  /** The validation day of the id checks the two call (validator-cache.ts). */
  useDay: (day: string | undefined) => string | undefined;
}

interface Validators {
  full: Ajv;
  /** First error only. */
  quick: Ajv;
  /** First error only, lengths in code units: used only where `codeUnitLengthIsSafe` holds. */
  quickUnits: Ajv;
}

function parseEntry(
  source: CatalogSource,
  ajvs: () => Validators,
  problems: Problem[],
): Compiled | undefined {
  const parsed = parsedYaml(source.text, source.file, problems);
  if (!parsed) return undefined;
  const { src, data } = parsed;
  // Through the validator cache, by schema text: a long-running process (and a test running
  // commands in process) compiles it once, not on every evaluation of this module. The schema is
  // our own and checked against the meta-schema by catalog-schema-checks.test.ts: compiling the
  // meta-schema here would cost every start ~25 ms for nothing.
  entryValidator ??= compiledFor(CATALOG_ENTRY_SCHEMA, () => {
    const ajv = new Ajv({ allErrors: true, strict: true, validateSchema: false });
    const v = registerFormats(ajv).compile(CATALOG_ENTRY_SCHEMA);
    return { validator: v, quick: v };
  }).validator;
  const before = problems.length;
  if (!entryValidator(data)) problems.push(...entryProblems(src, entryValidator.errors ?? [], data));
  const code = (data as { code?: unknown } | null)?.code;
  const definer = typeof code === 'string' ? code.slice(0, 18) : '';
  // GB/T 36904: the type code starts with the defining body's credit code.
  if (/^[0-9A-Z]{18}[0-9]{3}$/.test(String(code)) && !isValidUscc(definer)) {
    problems.push(
      problemAt(src, ['code'], `first 18 chars ${definer} are not a valid credit code (GB 32100)`),
    );
  }
  // `enum: [0012]` read as 12, a YAML 1.1 `no` as false: refused, not loaded as another value.
  // After the entry's own checks, whose messages name such a value where they refuse it.
  if (problems.length === before) problems.push(...changedValueProblems(src));
  if (problems.length === before) problems.push(...entryNameProblems(src, data));
  if (problems.length === before) problems.push(...idTypeProblems(src, data as Omit<CatalogEntry, 'file'>));
  const face = (data as Partial<CatalogEntry> | null)?.face;
  if (problems.length === before && face)
    problems.push(...faceProblems(src, face, (data as CatalogEntry).surface));
  if (problems.length > before) return undefined;
  const entry = { ...(data as Omit<CatalogEntry, 'file'>), file: source.file };
  if (entry.defineAuthority.code !== definer) {
    problems.push(
      problemAt(src, ['defineAuthority', 'code'], `expected ${definer} (the first 18 chars of \`code\`)`),
    );
    return undefined;
  }
  try {
    // Compiled here, once per entry: a bad surface schema is a load error, not a per-row one.
    const schema = licenseSchemaFor(entry);
    const {
      validator,
      quick,
      useDay = useValidationDay,
    } = compiledFor(schema, () => {
      const { full, quick, quickUnits } = ajvs();
      // First, against the meta-schema, by the instance the process keeps for it: none of the
      // three checks it, so none compiles the meta-schema (meta-schema-check.ts).
      checkAgainstMetaSchema(schema);
      return {
        validator: full.compile(schema),
        quick: (codeUnitLengthIsSafe(schema) ? quickUnits : quick).compile(schema),
        useDay: useValidationDay,
      };
    });
    return { entry, validator, quick, useDay };
  } catch (e) {
    const message = (e as Error).message;
    // At the place ajv names (a field's keyword), else at the keyword strict mode names
    // (unknown keyword "minLenght"), else at `surface`.
    const place = surfaceSchemaPlace(message);
    if (place) {
      problems.push(problemAt(src, place, `not a usable JSON Schema: ${message}`, true));
      return undefined;
    }
    const keyword = /keyword: "([^"]+)"/.exec(message)?.[1];
    const at = keyword === undefined ? undefined : findKey(src, ['surface'], keyword);
    const problem = problemAt(src, ['surface'], `not a usable JSON Schema: ${message}`, true);
    problems.push(at ? { ...problem, ...at } : problem);
    return undefined;
  }
}

/** Builds a catalog from entry texts (pure). Throws ConfigError listing every problem with file:line:col. */
export function buildCatalog(sources: readonly CatalogSource[]): Catalog {
  const options = LICENSE_SCHEMA_OPTIONS;
  // Most rows are valid: a first-error validator answers them; only a failure pays for allErrors.
  // Its "valid" must be final, so it may be stricter than the full validator, never looser: a
  // "no" from it is only a hint, and the full validator decides.
  // Made on the first schema this build compiles: a build whose schemas were all compiled before
  // (validator-cache.ts), or whose entries all fail to load, never pays for them.
  // None checks a surface schema against the meta-schema (ajv compiles the meta-schema once per
  // instance that does, ~25 ms): parseEntry has it checked first, by the one instance the process
  // keeps for that (meta-schema-check.ts). The `holderIdType` keyword checks its value on each.
  let made: Validators | undefined;
  const ajvs = (): Validators =>
    (made ??= {
      full: registerFormats(new Ajv({ ...options, allErrors: true, validateSchema: false })),
      quick: registerFormats(new Ajv({ ...options, validateSchema: false })),
      // ajv calls `unicode` deprecated and says so on every build; the same schema's real warnings
      // come from the other two instances. Should the option go away, lengths count code points.
      quickUnits: registerFormats(
        new Ajv({ ...options, validateSchema: false, unicode: false, logger: false }),
      ),
    });
  const problems: Problem[] = [];
  const byCode = new Map<string, CatalogEntry>();
  const validators = new Map<string, Compiled>();
  for (const source of sources) {
    const compiled = parseEntry(source, ajvs, problems);
    if (!compiled) continue;
    const { entry } = compiled;
    const earlier = byCode.get(entry.code);
    if (earlier) {
      const src = parseYamlSource(source.text, source.file);
      problems.push(problemAt(src, ['code'], `type ${entry.code} is already defined in ${earlier.file}`));
      continue;
    }
    byCode.set(entry.code, Object.freeze(entry));
    validators.set(entry.code, compiled);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const sorted = [...byCode.values()].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  // The file an entry sits in is not part of what it means.
  const version = sm3Hex(jcs(sorted.map(({ file: _file, ...rest }) => rest)));
  // Shared by every caller loading the same files (./built-catalogs.ts): nothing may reorder it.
  Object.freeze(sorted);
  return {
    version,
    get: (code) => byCode.get(code),
    entries: () => sorted,
    validate(license, today) {
      // A day that is no ISO date (never from config, which checks it) leaves the clock's.
      const day = today !== undefined && isIsoDate(today) ? today : undefined;
      const before = useValidationDay(day);
      try {
        const code = (license as { type?: { code?: unknown } } | null)?.type?.code;
        const compiled = typeof code === 'string' ? validators.get(code) : undefined;
        if (!compiled) {
          return [
            {
              code: 'LB_CATALOG_TYPE',
              path: 'type.code',
              message: `catalog: license type ${typeof code === 'string' ? code : '(none)'} is not in the catalog`,
            },
          ];
        }
        const { validator, quick, useDay } = compiled;
        const checks = checkLicense(license, day);
        const dayBefore = useDay(day);
        try {
          if (quick(license) || validator(license)) return checks;
        } finally {
          useDay(dayBefore);
        }
        const reasons = reasonsFromAjv(license, validator.errors ?? [], validator.schema).map((r) =>
          r.path === 'holder.idType' && r.code === 'LB_SCHEMA_ENUM'
            ? { ...r, message: idTypeHint(compiled.entry, (license as License).holder?.idType) }
            : r,
        );
        return [...reasons, ...checks];
      } catch (e) {
        return [{ code: 'LB_INTERNAL', message: `catalog: validation failed: ${(e as Error).message}` }];
      } finally {
        useValidationDay(before);
      }
    },
  };
}

/**
 * Reads every `*.yaml` / `*.yml` file of the folder: one license type each. The same files read
 * again in this process give the catalog built from them before.
 */
export async function loadCatalog(folder: string): Promise<Catalog> {
  let names: string[];
  try {
    names = (await readdir(folder)).filter((n) => /\.ya?ml$/i.test(n)).sort();
  } catch (e) {
    throw new ConfigError(
      [{ file: folder, line: 1, column: 1, path: '', message: 'catalog folder is not readable' }],
      {
        cause: e,
      },
    );
  }
  if (names.length === 0) {
    throw new ConfigError([
      { file: folder, line: 1, column: 1, path: '', message: 'catalog folder has no *.yaml entry' },
    ]);
  }
  const read = await Promise.all(
    names.map(async (name) => utf8Text(await readFile(join(folder, name)), join(folder, name))),
  );
  // An entry saved as GBK would put U+FFFD into every license's type name and face (core/not-utf8.ts).
  const notUtf8 = read.flatMap((r) => r.problem ?? []);
  if (notUtf8.length > 0) throw new ConfigError(notUtf8);
  const sources = read.map((r, i) => ({ file: join(folder, names[i] as string), text: r.text }));
  // Built once per process for the same files (./built-catalogs.ts); they are read every time.
  return builtCatalog(sources, () => buildCatalog(sources));
}
