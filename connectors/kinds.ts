/**
 * Every source kind licbridge reads, one line each. The config schema (its `kind` enums), the
 * config types (`SourceKind`), `openSource` and the generated config reference derive from this
 * list; a new kind is its folder plus one line here. Specs are data and a lazy `open`, so config
 * and adapters may import this module without loading a driver (docs/architecture.md).
 */
import { kindRegistry } from '../core/kind-registry.js';
import type { SourceKindSpec, SourceShape } from './kind-spec.js';
import { dmKind } from './sql/dialects/dm/kind.js';
import { kingbaseKind } from './sql/dialects/kingbase/kind.js';
import { mssqlKind } from './sql/dialects/mssql/kind.js';
import { mysqlKind } from './sql/dialects/mysql/kind.js';
import { oracleKind } from './sql/dialects/oracle/kind.js';
import { postgresKind } from './sql/dialects/postgres/kind.js';
import { sqliteKind } from './sql/dialects/sqlite/kind.js';
import { xmlFilesKind } from './xml-files/kind.js';

// biome-ignore format: one kind per line, so that a new kind is one line here
export const SOURCE_KINDS = [
  sqliteKind,
  postgresKind,
  mysqlKind,
  mssqlKind,
  oracleKind,
  xmlFilesKind,
  kingbaseKind,
  dmKind,
] as const;

export type SourceKind = (typeof SOURCE_KINDS)[number]['kind'];

export const sourceKinds = kindRegistry<SourceKindSpec>(SOURCE_KINDS);

/** The spec of a configured kind, or undefined for a kind this build does not know. */
export const sourceKind = sourceKinds.find;

/** The kinds configured the same way, in registry order (the config schema's `kind` enums). */
export function kindsOfShape(shape: SourceShape): string[] {
  return SOURCE_KINDS.filter((s) => s.shape === shape).map((s) => s.kind);
}

/** The kinds a front-database target can write to (the config schema's `client` enum). */
export function frontDbKinds(): string[] {
  return SOURCE_KINDS.filter((s) => 'frontDb' in s).map((s) => s.kind);
}
