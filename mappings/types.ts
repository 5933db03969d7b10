/**
 * Shapes the mapping stage speaks. Some mirror contracts of folders mappings may not import
 * (connectors' SourceValue/SourceRow, ledger's QuarantineReason/VersionCandidate): they are
 * declared structurally here, and test/mappings/contracts.test.ts proves both sides stay assignable.
 */

import type { LicenseProblem } from '../catalog/catalog.js';
import type { HolderContact } from '../catalog/holder-contact.js';
import type { LicenseHolder, LicenseStatus } from '../catalog/license.js';
import type { MapEnv } from './condition.js';

/** A source value as connectors hand it over (= connectors/source.ts `SourceValue`). */
export type InputValue = string | number | boolean | null | Date | Uint8Array;

/** A value between transform steps: source values, and lists once `split` has run. */
export type MapValue = InputValue | MapValue[] | { readonly [key: string]: MapValue };

/** A row as connectors hand it over (= connectors/source.ts `SourceRow`). */
export interface InputRow {
  key: string;
  values: Record<string, InputValue>;
  /** Columns the connector could not decode (= connectors/source.ts `RowProblem`). */
  problems?: InputRowProblem[];
}

/** = connectors/source.ts `RowProblem`. */
export interface InputRowProblem {
  column: string;
  code: string;
  message: string;
}

/** Same shape as the ledger's `QuarantineReason`. */
export type MapReason = LicenseProblem;

/**
 * The part of a License a mapping produces. The shape is what the mapping declares; the catalog's
 * `validate` is what proves it (a mapping may still yield, say, a number where text belongs).
 */
export interface LicenseDraft {
  number: string;
  holder: LicenseHolder;
  issueDate: string;
  validFrom: string;
  validTo: string | null;
  status: LicenseStatus;
  areaCode?: string;
  surface: Record<string, unknown>;
  /** The license this one continues: its number, or its source key (docs/lifecycle.md). */
  predecessor?: { number?: unknown; sourceKey?: unknown };
  /** `renew`, `change` or `transfer` when the license continues another. */
  operation?: unknown;
}

/**
 * `contact`: what the mapping's `contact.*` rules gave, apart from the license fields — `null` when
 * the mapping has contact rules and the row gave none, absent when the mapping has none.
 */
export type MapResult =
  | { ok: true; fields: LicenseDraft; contact?: HolderContact | null; writers?: RuleWriters }
  | { ok: false; reasons: MapReason[]; writers?: RuleWriters };

/**
 * Per output path, the origin of the rule that ran for the row, for each field whose rule that ran
 * is not its first (`origins` holds the first's): a later reason about the value names that rule.
 * @defaultValue absent: every field's first rule ran, or none did
 */
export type RuleWriters = Readonly<Record<string, RuleOrigin>>;

export interface CompiledMapping {
  /** The file the mapping came from (as given to the compiler). */
  readonly file: string;
  /** Hex SM3 of the mapping file's text: part of every version's lineage. */
  readonly version: string;
  /** Output paths, in file order. */
  readonly fields: readonly string[];
  /** Source columns the mapping reads. */
  readonly columns: readonly string[];
  /** Columns holding personal data: declared under `personal:` or read into holder.name / holder.id. */
  readonly personalColumns: readonly string[];
  /**
   * Per output path: the column its first rule reads and that rule's `file:line`, to locate later
   * reasons (a row's `writers` name a later rule that ran instead).
   */
  readonly origins: Readonly<Record<string, RuleOrigin>>;
  /** `file:line` of each `when` comparing a day with `today` (a mapping test must pin the day). @defaultValue none */
  readonly todayAt?: readonly string[];
  /** Maps one row's values. Never throws: every failure is a reason. */
  map(values: Readonly<Record<string, InputValue>>, env?: MapEnv): MapResult;
}

export interface RuleOrigin {
  column?: string;
  location: string;
  /**
   * A rule of the field reads a personal column: the personal field whose masking its value gets in
   * a reason (a listed column masks as the field itself). @defaultValue none
   */
  personal?: string;
}

export type StepOutcome = { ok: true; value: MapValue } | { ok: false; code: string; message: string };

/**
 * One compiled transform step: a plain function, built once at compile time. `env` is the map's
 * (today, the configured zone), for a step whose outcome depends on it (`date`'s default zone).
 */
export type TransformStep = (value: MapValue, env?: MapEnv) => StepOutcome;
