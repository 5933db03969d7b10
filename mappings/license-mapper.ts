/**
 * The whole pure stage row → license: map the row, assemble the canonical License (type from the
 * catalog entry, issuer from config), derive its identifier from the source key, validate it
 * against the catalog, hash its content, and hand the ledger a version candidate.
 */

import type { Catalog } from '../catalog/catalog.js';
import { isDivisionCode, isIsoDate } from '../catalog/formats.js';
import { usccProblem } from '../catalog/holder-id.js';
import { deriveSerial, identifierBuilder } from '../catalog/identifier.js';
import type { CodedName, License, Lineage } from '../catalog/license.js';
import { maskNumberShapes, maskPersonal, showValue } from '../catalog/personal.js';
import { ConfigError, type Problem } from '../core/errors.js';
import { localDate } from '../core/local-date.js';
import { Candidate, type LicenseCandidate } from './license-candidate.js';
import { toRulePath } from './output-path.js';
import { successorOf } from './successor.js';
import type {
  CompiledMapping,
  InputRow,
  InputRowProblem,
  LicenseDraft,
  MapReason,
  RuleOrigin,
  RuleWriters,
} from './types.js';

export { firstIdentity, type LicenseCandidate } from './license-candidate.js';

export interface LicenseMapperOptions {
  /** Pipeline name; also the namespace of derived serials, so renaming a pipeline renames its licenses. */
  pipeline: string;
  sourceName: string;
  mapping: CompiledMapping;
  catalog: Catalog;
  /** 21-char license type code; must be in the catalog. */
  licenseType: string;
  issuer: CodedName;
  /** Division code used when the mapping sets none. */
  areaCode?: string;
  /** Config file the pipeline came from, for error positions. */
  configFile?: string;
  /**
   * Today's date (`YYYY-MM-DD` in the configured zone), asked once per row: the day conditions on
   * `today` compare with, and, with `expiry`, derived expiry's day. Absent: conditions read the
   * clock in China Standard Time and nothing expires.
   */
  today?: () => string;
  /**
   * The zone `today` is taken in (`lifecycle.timeZone`): conditions take an instant's day in it too.
   * @defaultValue Asia/Shanghai
   */
  timeZone?: string;
  /**
   * Derived expiry: a license the mapping calls `valid` whose `validTo` is before `today` is
   * `expired`. Off for a pipeline with `expiry: false`, whose conditions still see `today`.
   * @defaultValue true
   */
  expiry?: boolean;
}

export type MapRowResult = { ok: true; candidate: LicenseCandidate } | { ok: false; reasons: MapReason[] };

export type LicenseMapper = (row: InputRow, runId: string) => MapRowResult;

const FIELDS = [
  'number',
  'type',
  'issuer',
  'issueDate',
  'validFrom',
  'validTo',
  'areaCode',
  'holder',
  'status',
  'surface',
] as const;

/**
 * No area code, as NULL is: a blank column (CHAR spaces trimmed to '', or '' as most databases
 * keep what Oracle stores as NULL) falls back to the pipeline's, as a NULL one does.
 */
const blank = (value: unknown): boolean =>
  value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/**
 * The license of one row, built once with its version-1 identifier (validation must not depend
 * on the version: any version's identifier checks the same way). Type and issuer are the
 * pipeline's own objects, shared by every row: nothing here writes to a license, and `build`
 * hands out deep copies.
 */
function assemble(
  identifier: string,
  draft: LicenseDraft,
  type: CodedName,
  issuer: CodedName,
  areaCode: string | undefined,
): License {
  const license = {
    identifier,
    number: draft.number,
    type,
    issuer,
    issueDate: draft.issueDate,
    validFrom: draft.validFrom,
    validTo: draft.validTo,
    areaCode: blank(draft.areaCode) ? areaCode : draft.areaCode,
    holder: draft.holder,
    status: draft.status,
    surface: draft.surface,
  } as Record<string, unknown>;
  // An unmapped field is absent, not `undefined`: the catalog reports it as required.
  for (const k of FIELDS) if (license[k] === undefined) delete license[k];
  return license as unknown as License;
}

/** The value at a reason's path (`surface.items.0.name`) in the license; undefined when none. */
function valueAt(license: License, path: string): unknown {
  let at: unknown = license;
  for (const segment of path.split('.')) {
    if (at === null || typeof at !== 'object' || !Object.hasOwn(at, segment)) return undefined;
    at = (at as Record<string, unknown>)[segment];
  }
  return at;
}

/**
 * Points a catalog reason at the mapping rule that wrote the field, when one did, and masks its
 * value when that rule reads a personal column: the catalog masks by the field's name only, and
 * `surface.premises` read from a listed column names no person. The holder's name and id are
 * masked by the catalog, by the holder's id type (a legal person's are public).
 */
function locate(
  reason: MapReason,
  mapping: CompiledMapping,
  license: License,
  writers: RuleWriters | undefined,
): MapReason {
  if (!reason.path) return reason;
  const path = toRulePath(reason.path);
  // A list's items are `surface.items[]` in rule form: a rule writing the whole list
  // (`surface.items` from a `split`) wrote each of them too.
  const rule = Object.keys(mapping.origins).find(
    (p) => path === p || path.startsWith(`${p}.`) || path.startsWith(`${p}[]`),
  );
  // The rule the row's `when`s chose, where that is not the field's first.
  const origin = rule === undefined ? undefined : (writers?.[rule] ?? mapping.origins[rule]);
  if (!origin) return reason;
  const located: MapReason = {
    ...reason,
    location: origin.location,
    ...(origin.column === undefined ? {} : { column: origin.column }),
  };
  const as = origin.personal;
  if (as === undefined || reason.value === undefined || rule === 'holder.name' || rule === 'holder.id')
    return located;
  const raw = valueAt(license, reason.path);
  const shown = raw === undefined ? undefined : showValue(as, raw, true);
  located.value = shown ?? maskPersonal(as, reason.value);
  return located;
}

/**
 * Connector reasons, each pointed at the rule reading its column: of each field, the rule that ran
 * for the row (`writers`, from mapping the row with the column as the connector left it, null) —
 * a field's later rule when the row's `when`s chose it, not its first.
 */
function sourceReasons(
  problems: readonly InputRowProblem[],
  mapping: CompiledMapping,
  writers: RuleWriters | undefined,
): MapReason[] {
  return problems.map((p) => {
    const rule = Object.entries(mapping.origins)
      .map(([path, first]): [string, RuleOrigin] => [path, writers?.[path] ?? first])
      .find(([, o]) => o.column?.split(',').includes(p.column));
    const reason: MapReason = { code: p.code, message: p.message, column: p.column };
    if (rule) {
      reason.path = rule[0];
      reason.location = rule[1].location;
    }
    return reason;
  });
}

function creationProblem(options: LicenseMapperOptions, key: string, message: string): Problem {
  return {
    file: options.configFile ?? options.mapping.file,
    line: 1,
    column: 1,
    path: `pipelines.${options.pipeline}.${key}`,
    message,
  };
}

/**
 * Derived expiry. Precedence: a status the source states other than `valid` — revoked, cancelled,
 * suspended, withdrawn, moved out — stands whatever the date; only `valid` becomes `expired`.
 * A long-term license (`validTo` null) never expires. ISO dates compare as text; a `validTo` that
 * is no ISO date (a mapping test of the mapping alone, which nothing validated) derives nothing.
 * Also run on a mapping test's mapped fields (mapping-test.ts), so a test sees what a run publishes.
 */
export function deriveExpiry(license: { status?: unknown; validTo?: unknown }, today: string): void {
  if (
    license.status === 'valid' &&
    typeof license.validTo === 'string' &&
    isIsoDate(license.validTo) &&
    license.validTo < today
  ) {
    license.status = 'expired';
  }
}

/** Checks the pipeline's setup once; a wrong license type or issuer is a config error, not N row errors. */
export function createLicenseMapper(options: LicenseMapperOptions): LicenseMapper {
  const { mapping, catalog, pipeline } = options;
  const entry = catalog.get(options.licenseType);
  const problems: Problem[] = [];
  if (!entry) {
    problems.push(
      creationProblem(options, 'licenseType', `license type ${options.licenseType} is not in the catalog`),
    );
  }
  const issuerCode = usccProblem(options.issuer.code);
  if (issuerCode !== null) problems.push(creationProblem(options, 'issuer.code', issuerCode));
  if (options.areaCode !== undefined && !isDivisionCode(options.areaCode)) {
    problems.push(creationProblem(options, 'areaCode', `${options.areaCode} is not a 6-digit division code`));
  }
  if (!entry || problems.length > 0) throw new ConfigError(problems);
  const type: CodedName = Object.freeze({ name: entry.name, code: entry.code });
  const issuer: CodedName = Object.freeze({ name: options.issuer.name, code: options.issuer.code });
  // Per pipeline, once: the identifier prefix and its check-char state (type and issuer are fixed).
  const ids = identifierBuilder(type.code, issuer.code);
  const { areaCode, sourceName, today, timeZone } = options;
  const zone = timeZone === undefined ? {} : { timeZone };
  const expiry = options.expiry !== false;

  return (row, runId) => {
    try {
      // Today, asked once per row: conditions and derived expiry see the same day.
      const day = today?.();
      const env = day === undefined ? zone : { ...zone, today: day };
      // A column the connector could not decode is null in `values`; mapping it would blame the
      // mapping for the source's problem, so the row is quarantined with the connector's reasons.
      // The row is still mapped, its reasons dropped, only to learn which rules its `when`s choose.
      if (row.problems && row.problems.length > 0)
        return {
          ok: false,
          reasons: sourceReasons(row.problems, mapping, mapping.map(row.values, env).writers),
        };
      const mapped = mapping.map(row.values, env);
      if (!mapped.ok) return { ok: false, reasons: mapped.reasons };
      const serial = deriveSerial(pipeline, row.key);
      const license = assemble(ids.identifier(serial, 1), mapped.fields, type, issuer, areaCode);
      // The day the row is mapped on, as conditions take it: no one is born after it (GB 11643).
      const reasons = catalog.validate(
        license,
        day ?? (timeZone === undefined ? undefined : localDate(timeZone)),
      );
      if (reasons.length > 0)
        return { ok: false, reasons: reasons.map((r) => locate(r, mapping, license, mapped.writers)) };
      if (day !== undefined && expiry) deriveExpiry(license, day);
      const successor = successorOf(mapped.fields, mapping, mapped.writers);
      if ('reasons' in successor) return { ok: false, reasons: successor.reasons };
      const lineage: Lineage = {
        pipeline,
        source: sourceName,
        sourceKey: row.key,
        runId,
        catalogVersion: catalog.version,
        mappingVersion: mapping.version,
      };
      const candidate = new Candidate(
        ids.licenseId(serial),
        row.key,
        license.status,
        lineage,
        license,
        ids,
        serial,
      );
      if (mapped.contact !== undefined) candidate.contact = mapped.contact;
      if (successor.predecessor) {
        candidate.predecessor = successor.predecessor;
        candidate.operation = successor.operation;
      }
      return { ok: true, candidate };
    } catch (e) {
      // The error may quote a value: no ID, mobile or passport number goes into the reasons.
      const message = maskNumberShapes(e instanceof Error ? e.message : String(e));
      return { ok: false, reasons: [{ code: 'LB_INTERNAL', message: `license mapper: ${message}` }] };
    }
  };
}
