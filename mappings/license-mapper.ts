/**
 * The whole pure stage row → license: map the row, assemble the canonical License (type from the
 * catalog entry, issuer from config), derive its identifier from the source key, validate it
 * against the catalog, hash its content, and hand the ledger a version candidate.
 */

import { contentHash } from '../catalog/canonical.js';
import type { Catalog } from '../catalog/catalog.js';
import { isDivisionCode } from '../catalog/formats.js';
import { isValidUscc } from '../catalog/holder-id.js';
import { buildIdentifier, deriveSerial, licenseIdOf } from '../catalog/identifier.js';
import type { CodedName, License, LicenseStatus, Lineage } from '../catalog/license.js';
import { ConfigError, type Problem } from '../core/errors.js';
import { toRulePath } from './output-path.js';
import type { CompiledMapping, InputRow, LicenseDraft, MapReason } from './types.js';

/** Same shape as the ledger's `VersionCandidate` (mappings may not import ledger). */
export interface LicenseCandidate {
  /** Stable license id: the identifier without version and check char. */
  licenseId: string;
  sourceKey: string;
  /** Hex SM3 of the canonical license without its identifier. */
  contentHash: string;
  status: LicenseStatus;
  lineage: Lineage;
  /** The license for the version the ledger assigns; a fresh object on every call. */
  build(version: number): License;
}

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
}

export type MapRowResult = { ok: true; candidate: LicenseCandidate } | { ok: false; reasons: MapReason[] };

export type LicenseMapper = (row: InputRow, runId: string) => MapRowResult;

type Content = Omit<License, 'identifier'>;

function assemble(draft: LicenseDraft, options: LicenseMapperOptions, type: CodedName): Content {
  const content: Record<string, unknown> = {
    number: draft.number,
    type,
    issuer: { name: options.issuer.name, code: options.issuer.code },
    issueDate: draft.issueDate,
    validFrom: draft.validFrom,
    validTo: draft.validTo,
    areaCode: draft.areaCode ?? options.areaCode,
    holder: draft.holder,
    status: draft.status,
    surface: draft.surface,
  };
  // An unmapped field is absent, not `undefined`: the catalog reports it as required.
  for (const [k, v] of Object.entries(content)) if (v === undefined) delete content[k];
  return content as unknown as Content;
}

/** Points a catalog reason at the mapping rule that wrote the field, when one did. */
function locate(reason: MapReason, mapping: CompiledMapping): MapReason {
  if (!reason.path) return reason;
  const path = toRulePath(reason.path);
  const rule = Object.keys(mapping.origins).find((p) => path === p || path.startsWith(`${p}.`));
  const origin = rule === undefined ? undefined : mapping.origins[rule];
  if (!origin) return reason;
  return {
    ...reason,
    location: origin.location,
    ...(origin.column === undefined ? {} : { column: origin.column }),
  };
}

function sourceReasons(row: InputRow, mapping: CompiledMapping): MapReason[] {
  return (row.problems ?? []).map((p) => {
    const rule = Object.entries(mapping.origins).find(([, o]) => o.column?.split(',').includes(p.column));
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
  if (!isValidUscc(options.issuer.code)) {
    problems.push(
      creationProblem(options, 'issuer.code', `${options.issuer.code} is not a valid credit code (GB 32100)`),
    );
  }
  if (options.areaCode !== undefined && !isDivisionCode(options.areaCode)) {
    problems.push(creationProblem(options, 'areaCode', `${options.areaCode} is not a 6-digit division code`));
  }
  if (!entry || problems.length > 0) throw new ConfigError(problems);
  const type: CodedName = { name: entry.name, code: entry.code };
  const issuerCode = options.issuer.code;

  return (row, runId) => {
    try {
      // A column the connector could not decode is null in `values`; mapping it would blame the
      // mapping for the source's problem, so the row is quarantined with the connector's reasons.
      if (row.problems && row.problems.length > 0) return { ok: false, reasons: sourceReasons(row, mapping) };
      const mapped = mapping.map(row.values);
      if (!mapped.ok) return mapped;
      const content = assemble(mapped.fields, options, type);
      const serial = deriveSerial(pipeline, row.key);
      const parts = { typeCode: type.code, issuerCode, serial };
      // Validation must not depend on the version: any version's identifier checks the same way.
      const probe = { identifier: buildIdentifier({ ...parts, version: 1 }), ...content } as License;
      const reasons = catalog.validate(probe);
      if (reasons.length > 0) return { ok: false, reasons: reasons.map((r) => locate(r, mapping)) };
      const lineage: Lineage = {
        pipeline,
        source: options.sourceName,
        sourceKey: row.key,
        runId,
        catalogVersion: catalog.version,
        mappingVersion: mapping.version,
      };
      let hash: string | undefined;
      const candidate: LicenseCandidate = {
        licenseId: licenseIdOf(parts),
        sourceKey: row.key,
        // Computed when first read (the ledger reads it at commit): JCS + SM3 is the costliest
        // step of a row, and a preview or a mapping test never needs it. Same value either way.
        get contentHash() {
          hash ??= contentHash(probe);
          return hash;
        },
        status: content.status,
        lineage,
        // The draft is this row's own (the mapping builds fresh objects); each build is a deep copy.
        build: (version) => ({
          identifier: buildIdentifier({ ...parts, version }),
          ...structuredClone(content),
        }),
      };
      return { ok: true, candidate };
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      return { ok: false, reasons: [{ code: 'LB_INTERNAL', message: `license mapper: ${message}` }] };
    }
  };
}
