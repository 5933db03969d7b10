/**
 * Mapping tests kept next to a mapping (`food-business-license.test.yaml` beside
 * `food-business-license.yaml`): input rows → expected license fields, or expected failure codes.
 * This module parses a test file and runs its cases against a compiled mapping (and, when the
 * file names a catalog, the whole row → license stage). It does no I/O; `licbridge test` does.
 */
import { isDeepStrictEqual } from 'node:util';
import { parseYamlSource, problemAt, type YamlPath, type YamlSource } from '../catalog/yaml-source.js';
import { ConfigError, type Problem } from '../core/errors.js';
import { parseIsoDate } from '../core/local-date.js';
import { timeZoneProblem } from '../core/time-zone.js';
import { setOwn, writtenAt, yamlData } from './as-written.js';
import { fullWidthConditionHints } from './condition-width-hint.js';
import { deriveExpiry, type LicenseMapper } from './license-mapper.js';
import { fieldMismatch } from './mapping-test-shown.js';
import type { CompiledMapping, InputValue, MapReason } from './types.js';

export interface ExpectedFailure {
  code: string;
  path?: string;
  column?: string;
}

export interface MappingTestCase {
  name: string;
  /** Line of the case in the test file. */
  line: number;
  key: string;
  values: Record<string, InputValue>;
  fields?: Record<string, unknown>;
  failures?: ExpectedFailure[];
}

export interface MappingTestFile {
  file: string;
  /** Path of the mapping as written (relative to the test file). */
  mapping: string;
  /** Catalog folder as written; when absent only the mapping runs. */
  catalog?: string;
  licenseType?: string;
  issuer?: { name: string; code: string };
  areaCode?: string;
  pipeline: string;
  /** Pinned today (`YYYY-MM-DD`): derived expiry applies as on that day. Absent: no derived expiry. */
  today?: string;
  /** The pipeline's `lifecycle.timeZone`: conditions take an instant's day in it. Absent: Asia/Shanghai. */
  timeZone?: string;
  /** The pipeline's `expiry`: false tests a pipeline without derived expiry. Absent: on (with `today`). */
  expiry?: boolean;
  cases: MappingTestCase[];
}

export interface CaseResult {
  name: string;
  line: number;
  passed: boolean;
  /** Why it failed, one line each. */
  messages: string[];
}

const TOP = [
  'mapping',
  'catalog',
  'licenseType',
  'issuer',
  'areaCode',
  'pipeline',
  'today',
  'timeZone',
  'expiry',
  'row',
  'cases',
];
const CASE = ['name', 'key', 'row', 'expect'];
const EXPECT = ['fields', 'failures'];

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function unknownKeys(
  src: YamlSource,
  at: (string | number)[],
  obj: Record<string, unknown>,
  known: string[],
) {
  return Object.keys(obj)
    .filter((k) => !known.includes(k))
    .map((k) => problemAt(src, [...at, k], `unknown key \`${k}\`; expected ${known.join(', ')}`, true));
}

/** YAML values a row may hold: scalars; `{ bytes: hex }` for binary columns. */
function rowValues(src: YamlSource, at: (string | number)[], raw: unknown, problems: Problem[]) {
  const values: Record<string, InputValue> = {};
  if (raw === undefined) return values;
  if (!isRecord(raw)) {
    problems.push(problemAt(src, at, 'expected `row` to map columns to values'));
    return values;
  }
  for (const [column, v] of Object.entries(raw)) {
    // setOwn: a column named `__proto__` is a column, not the row's prototype.
    if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
      setOwn(values, column, v);
    else if (isRecord(v) && typeof v.bytes === 'string' && /^([0-9a-f]{2})*$/i.test(v.bytes))
      setOwn(values, column, new Uint8Array(Buffer.from(v.bytes, 'hex')));
    else problems.push(problemAt(src, [...at, column], 'expected a plain value, or { bytes: <hex> }'));
  }
  return values;
}

function parseFailures(src: YamlSource, at: (string | number)[], raw: unknown, problems: Problem[]) {
  if (!Array.isArray(raw) || raw.length === 0) {
    problems.push(problemAt(src, at, 'expected `failures` to list codes, e.g. [LB_MAP_DATE]'));
    return [];
  }
  return raw.flatMap((f, i): ExpectedFailure[] => {
    if (typeof f === 'string') return [{ code: f }];
    if (isRecord(f) && typeof f.code === 'string') {
      problems.push(...unknownKeys(src, [...at, i], f, ['code', 'path', 'column']));
      return [
        {
          code: f.code,
          ...(typeof f.path === 'string' ? { path: f.path } : {}),
          ...(typeof f.column === 'string' ? { column: f.column } : {}),
        },
      ];
    }
    problems.push(problemAt(src, [...at, i], 'expected a code, or { code, path?, column? }'));
    return [];
  });
}

/** Parses a mapping test file. Throws ConfigError with file:line:col for every problem. */
export function parseMappingTestFile(text: string, file: string): MappingTestFile {
  const src = parseYamlSource(text, file);
  if (src.problems.length > 0) throw new ConfigError(src.problems);
  const parsed: unknown = yamlData(src);
  if (!isRecord(parsed)) throw new ConfigError([problemAt(src, [], 'expected a map with `cases:`')]);
  const problems = unknownKeys(src, [], parsed, TOP);
  // Rows, expected values and keys as written (as-written.ts): `row: { ZT: 01 }` feeds the code
  // "01", as a text column would, not the number 1 YAML reads; `today` and the rest stay as parsed.
  const twice = (key: string, at: YamlPath) =>
    problems.push(
      problemAt(src, at, `${at.at(-2) === 'row' ? 'column' : 'key'} \`${key}\` is listed twice`, true),
    );
  const data: Record<string, unknown> = { ...parsed };
  for (const key of ['row', 'cases'] as const)
    if (key in data) data[key] = writtenAt(src, [key], data[key], twice);
  const str = (k: string): string | undefined => {
    const v = data[k];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') problems.push(problemAt(src, [k], `expected \`${k}\` to be text`));
    return typeof v === 'string' ? v : undefined;
  };
  const mapping = str('mapping') ?? `./${(file.split('/').pop() ?? '').replace(/\.test\.ya?ml$/i, '.yaml')}`;
  const catalog = str('catalog');
  const licenseType = str('licenseType');
  const areaCode = str('areaCode');
  const pipeline = str('pipeline') ?? 'mapping-test';
  // A file written as YAML 1.1 (`%YAML 1.1`) reads an unquoted 2025-01-01 as a date; 1.2, the
  // default, as text: both pin the day.
  const todayRaw = data.today instanceof Date ? data.today.toISOString().slice(0, 10) : str('today');
  const today = todayRaw !== undefined && parseIsoDate(todayRaw) ? todayRaw : undefined;
  if (todayRaw !== undefined && today === undefined) {
    problems.push(
      problemAt(src, ['today'], `expected \`today\` to be a date YYYY-MM-DD, got \`${todayRaw}\``),
    );
  }
  const timeZone = str('timeZone');
  const zoneProblem = timeZone === undefined ? undefined : timeZoneProblem(timeZone, 'timeZone');
  if (zoneProblem !== undefined) problems.push(problemAt(src, ['timeZone'], zoneProblem));
  const expiry = data.expiry;
  if (expiry !== undefined && typeof expiry !== 'boolean') {
    problems.push(problemAt(src, ['expiry'], 'expected `expiry` to be true or false'));
  }
  const issuer = data.issuer;
  if (
    issuer !== undefined &&
    !(isRecord(issuer) && typeof issuer.name === 'string' && typeof issuer.code === 'string')
  ) {
    problems.push(problemAt(src, ['issuer'], 'expected `issuer` to be { name, code }'));
  }
  if (catalog !== undefined && (licenseType === undefined || issuer === undefined)) {
    problems.push(problemAt(src, ['catalog'], 'a test with `catalog` also needs `licenseType` and `issuer`'));
  }
  const base = rowValues(src, ['row'], data.row, problems);
  const cases: MappingTestCase[] = [];
  if (!Array.isArray(data.cases) || data.cases.length === 0) {
    problems.push(
      problemAt(src, Array.isArray(data.cases) ? ['cases'] : [], 'expected `cases:` to list test cases'),
    );
  } else {
    data.cases.forEach((c: unknown, i) => {
      const at = ['cases', i];
      if (!isRecord(c) || typeof c.name !== 'string') {
        problems.push(problemAt(src, at, 'expected a case with `name`, `row` and `expect`'));
        return;
      }
      problems.push(...unknownKeys(src, at, c, CASE));
      const expect = c.expect;
      if (!isRecord(expect) || (expect.fields === undefined) === (expect.failures === undefined)) {
        problems.push(problemAt(src, at, 'expected `expect:` with exactly one of `fields` or `failures`'));
        return;
      }
      problems.push(...unknownKeys(src, [...at, 'expect'], expect, EXPECT));
      if (expect.fields !== undefined && !isRecord(expect.fields)) {
        problems.push(
          problemAt(src, [...at, 'expect', 'fields'], 'expected `fields` to map license paths to values'),
        );
      }
      cases.push({
        name: c.name,
        line: problemAt(src, at, '').line,
        key: c.key === undefined ? String(i + 1) : String(c.key),
        values: { ...base, ...rowValues(src, [...at, 'row'], c.row, problems) },
        ...(isRecord(expect.fields) ? { fields: expect.fields } : {}),
        ...(expect.failures === undefined
          ? {}
          : { failures: parseFailures(src, [...at, 'expect', 'failures'], expect.failures, problems) }),
      });
    });
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    file,
    mapping,
    pipeline,
    cases,
    ...(catalog === undefined ? {} : { catalog }),
    ...(licenseType === undefined ? {} : { licenseType }),
    ...(isRecord(issuer) ? { issuer: issuer as { name: string; code: string } } : {}),
    ...(areaCode === undefined ? {} : { areaCode }),
    ...(today === undefined ? {} : { today }),
    ...(timeZone === undefined ? {} : { timeZone }),
    ...(typeof expiry === 'boolean' ? { expiry } : {}),
  };
}

/** The value at a dotted path (`holder.id`, `surface.items.0`, `surface.items[0]`). */
function valueAt(root: unknown, path: string): unknown {
  let node = root;
  for (const seg of path.replace(/\[(\d+)\]/g, '.$1').split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[seg];
  }
  return node;
}

/** The value with every -0 as 0, at any depth: the license's JSON (and its hash) writes -0 as 0. */
function withoutNegativeZero(v: unknown): unknown {
  if (Object.is(v, -0)) return 0;
  if (Array.isArray(v)) return v.map(withoutNegativeZero);
  if (v === null || typeof v !== 'object' || Object.getPrototypeOf(v) !== Object.prototype) return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, withoutNegativeZero(x)]));
}

/**
 * A field as expected, compared as the license carries it: the `number` transform reads `-0.00`
 * as -0, which JSON and RFC 8785 write as 0, while a test file can only expect 0.
 */
const sameField = (got: unknown, want: unknown): boolean =>
  isDeepStrictEqual(withoutNegativeZero(got), withoutNegativeZero(want));

function describeReasons(reasons: readonly MapReason[]): string {
  return reasons.map((r) => `${r.code}${r.path ? ` at ${r.path}` : ''}`).join(', ');
}

function matchFailures(expected: readonly ExpectedFailure[], actual: readonly MapReason[]): boolean {
  if (expected.length !== actual.length) return false;
  const left = [...actual];
  return expected.every((e) => {
    const i = left.findIndex(
      (a) =>
        a.code === e.code &&
        (e.path === undefined || a.path === e.path) &&
        (e.column === undefined || a.column === e.column),
    );
    if (i < 0) return false;
    left.splice(i, 1);
    return true;
  });
}

/**
 * Runs every case: through the full mapper (map, validate, identify) when one is given, else
 * through the mapping alone. Never throws.
 */
export function runMappingTests(
  spec: MappingTestFile,
  mapping: CompiledMapping,
  mapper?: LicenseMapper,
): CaseResult[] {
  // Without a pinned day a condition on today reads the clock: a case passing today fails later.
  const unpinned = spec.today === undefined ? (mapping.todayAt ?? []) : [];
  return spec.cases.map((c) => {
    const messages: string[] = [];
    if (unpinned.length > 0) {
      messages.push(
        `the mapping compares a day with today (${unpinned.join(', ')}): pin the day with \`today: YYYY-MM-DD\` at the top of the test file, or this case's outcome changes with the date`,
      );
      return { name: c.name, line: c.line, passed: false, messages };
    }
    let output: unknown;
    let reasons: MapReason[] = [];
    const env = {
      ...(spec.today === undefined ? {} : { today: spec.today }),
      ...(spec.timeZone === undefined ? {} : { timeZone: spec.timeZone }),
    };
    if (mapper) {
      const r = mapper({ key: c.key, values: c.values }, 'mapping-test');
      if (r.ok) {
        // What continues another license is the candidate's, not the license's: a case may check it too.
        const { predecessor, operation } = r.candidate;
        output = { ...r.candidate.build(1), ...(predecessor ? { predecessor, operation } : {}) };
      } else reasons = r.reasons;
    } else {
      const r = mapping.map(c.values, env);
      if (r.ok) {
        // As the pipeline publishes it (derived expiry), which the full mapper applies itself.
        if (spec.today !== undefined && spec.expiry !== false) deriveExpiry(r.fields, spec.today);
        output = r.fields;
      } else reasons = r.reasons;
    }
    if (c.failures) {
      if (output !== undefined)
        messages.push(`expected failures ${c.failures.map((f) => f.code).join(', ')}, but the row mapped`);
      else if (!matchFailures(c.failures, reasons)) {
        messages.push(
          `expected failures ${c.failures.map((f) => f.code + (f.path ? ` at ${f.path}` : '')).join(', ')}`,
        );
        messages.push(`got ${describeReasons(reasons)}`);
      }
    } else if (output === undefined) {
      messages.push(`expected the row to map, got ${describeReasons(reasons)}`);
      for (const r of reasons)
        messages.push(`  ${r.code}: ${r.message}${r.location ? ` (${r.location})` : ''}`);
    } else {
      // Values shown masked where personal (mapping-test-shown.ts): the output goes to CI logs.
      const holder = { idType: valueAt(output, 'holder.idType'), id: valueAt(output, 'holder.id') };
      const differing: string[] = [];
      for (const [path, want] of Object.entries(c.fields ?? {})) {
        const got = valueAt(output, path);
        if (sameField(got, want)) continue;
        messages.push(fieldMismatch(path, want, got, holder, mapping));
        differing.push(path);
      }
      // A code typed full-width sends the row past a `when` listing it half-width, without a reason.
      if (differing.length > 0) messages.push(...fullWidthConditionHints(mapping, c.values, env, differing));
    }
    return { name: c.name, line: c.line, passed: messages.length === 0, messages };
  });
}
