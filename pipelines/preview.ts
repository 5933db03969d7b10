/**
 * Preview: the first N live rows of a pipeline's stream mapped through its mapping, the catalog
 * and the identifier, each source row beside the license it becomes or every reason it would be
 * quarantined. Writes nothing: no ledger, no queue, no checkpoint; the source is only read.
 * Personal data is masked unless asked for (`licbridge preview --show-personal`).
 */
import { loadCatalog } from '../catalog/catalog.js';
import {
  isPersonalPathFor,
  isPersonHolderId,
  maskNumberShapes,
  maskPersonal,
  showValue,
} from '../catalog/personal.js';
import type { Config } from '../config/types.js';
import { openSource } from '../connectors/open-source.js';
import type { SourceConnector, SourceRow } from '../connectors/source.js';
import type { XmlFilesSource } from '../connectors/xml-files/xml-source.js';
import { ErrorCodes, LicbridgeError } from '../core/errors.js';
import { terminalLine } from '../core/terminal-text.js';
import { compileMapping } from '../mappings/compile.js';
import { fedByPersonalColumn } from '../mappings/personal-columns.js';
import type { MapReason } from '../mappings/types.js';
import { lifecycleSettings } from './lifecycle/settings.js';
import { pipelineMapper } from './pipeline-mapper.js';
import { refuseOutsideReadWindow } from './read-window.js';

export interface PreviewRow {
  /** The row's key, masked as its column is (or, when an ID or mobile number, as such) unless shown. */
  key: string;
  /** The mapping's columns as the source gave them, personal ones masked unless shown. */
  source: Record<string, string | null>;
  /** The license, one entry per leaf path (`holder.name`); lists of plain values stay one entry. */
  license?: Record<string, unknown>;
  failures?: MapReason[];
}

export interface PreviewOptions {
  limit: number;
  offset: number;
  /** An export file of an xml-files source: its own records, every one of them, in document order. */
  file?: string;
  /** Names and ID numbers unmasked. */
  showPersonal?: boolean;
}

export interface Preview {
  pipeline: string;
  catalogVersion: string;
  mappingVersion: string;
  counts: { read: number; ok: number; quarantined: number };
  rows: PreviewRow[];
}

/** Every leaf of a license as [path, value]; lists of plain values stay one entry. */
function flatten(value: unknown, prefix: string, out: [string, unknown][]): [string, unknown][] {
  const plainList = Array.isArray(value) && value.every((v) => v === null || typeof v !== 'object');
  if (value !== null && typeof value === 'object' && !plainList) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else out.push([prefix, value]);
  return out;
}

/**
 * A legal person's name and credit code are public: masked only for natural persons, and for a
 * holder whose id has a resident ID number's shape whatever its type (catalog/personal.ts).
 * A field fed by a column the mapping lists as `personal` is masked whatever its name. A list
 * of plain values is masked value by value.
 */
export function masked(
  path: string,
  value: unknown,
  show: boolean,
  holder: { idType: unknown; id: unknown },
  fromPersonalColumn: boolean,
): unknown {
  if (show || !(fromPersonalColumn || isPersonalPathFor(path, holder.idType, holder.id))) return value;
  // A list of plain values (one entry here), from a personal column or on a personal path (a
  // surface field holding several phones or representatives): each masked.
  if (Array.isArray(value)) return value.map((v) => maskedPlain(path, v));
  return maskedPlain(path, value);
}

/**
 * A personal value masked as text: a number too (a phone or ID number a surface schema types as
 * an integer), which would otherwise show whole.
 */
function maskedPlain(path: string, value: unknown): unknown {
  if (typeof value === 'string') return maskPersonal(path, value);
  if (typeof value === 'number' || typeof value === 'bigint') return maskPersonal(path, String(value));
  return value;
}

/** A reason with the source value of its column in clear (`--show-personal`). */
function unmasked(
  reason: MapReason,
  values: Readonly<Record<string, unknown>>,
  origins: Readonly<Record<string, { column?: string }>>,
): MapReason {
  if (reason.value === undefined) return reason;
  const column = reason.column ?? (reason.path ? origins[reason.path]?.column : undefined);
  // Own columns only: `in` finds Object.prototype's `constructor` in a row that has no such column.
  if (column === undefined || column.includes(',') || !Object.hasOwn(values, column)) return reason;
  const value = showValue(column, values[column], false, true);
  return value === undefined ? reason : { ...reason, value };
}

async function readRows(
  config: Readonly<Config>,
  pipeline: string,
  window: PreviewOptions,
): Promise<SourceRow[]> {
  const p = config.pipelines[pipeline] as Config['pipelines'][string];
  refuseOutsideReadWindow(config, 'preview', p.source, new Date());
  const source = await openSource(p.source, config.sources[p.source] as Config['sources'][string], {
    timeZone: lifecycleSettings(config).timeZone,
  });
  const { limit, offset } = window;
  try {
    if (window.file !== undefined) {
      // Only export folders have files; the connector is loaded lazily, so ask it, not its class.
      const files = source as SourceConnector & Partial<Pick<XmlFilesSource, 'fileRows'>>;
      if (!files.fileRows) {
        throw new LicbridgeError(
          ErrorCodes.USAGE,
          `preview: \`--file\` names an export file, but source ${p.source} is of kind \`${source.kind}\` (only xml-files sources have files)`,
        );
      }
      return (await files.fileRows(p.stream, window.file)).slice(offset, offset + limit);
    }
    const rows: SourceRow[] = [];
    let skipped = 0;
    // No ledger is attached and `record: false`: a preview reads, it never marks anything read.
    for await (const page of source.read({
      stream: p.stream,
      after: null,
      pageSize: Math.min(limit + offset, 5000),
      record: false,
    })) {
      let from = 0;
      if (skipped < offset) {
        from = Math.min(offset - skipped, page.rows.length);
        skipped += from;
      }
      rows.push(...page.rows.slice(from, from + limit - rows.length));
      if (rows.length >= limit) break;
    }
    return rows;
  } finally {
    await source.close();
  }
}

/** Reads `options.limit` rows after `options.offset` and maps each as a run would, writing nothing. */
export async function previewPipeline(
  config: Readonly<Config>,
  pipeline: string,
  options: PreviewOptions,
): Promise<Preview> {
  const p = config.pipelines[pipeline];
  if (!p) {
    const known = Object.keys(config.pipelines).join(', ') || 'none';
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `preview: unknown pipeline \`${terminalLine(pipeline)}\` (defined: ${known})`,
    );
  }
  const [catalog, mapping] = await Promise.all([loadCatalog(config.catalog), compileMapping(p.mapping)]);
  // As a run maps them: a license past its date is previewed as expired (derived expiry), and
  // conditions on `today` see the configured zone's day either way, an instant's day in that zone.
  const { mapper } = pipelineMapper(config, pipeline, mapping, catalog);
  const show = Boolean(options.showPersonal);
  const personal = new Set(mapping.personalColumns);
  // A source column is masked the way the license path it feeds is (names keep one char).
  const feeds = (column: string): string =>
    Object.entries(mapping.origins).find(([, o]) => o.column?.split(',').includes(column))?.[0] ?? column;
  // The holder's name and ID follow the holder's id type instead: a legal person's are public,
  // though the column feeding them counts as personal when the mapping cannot tell the holder.
  const fedByPersonal = fedByPersonalColumn(mapping);
  const fromPersonal = (path: string): boolean =>
    path !== 'holder.name' && path !== 'holder.id' && fedByPersonal(path);
  // A stream keyed by a person's ID number (legacy tables often are): its key is masked as its
  // column. Any other key as a report, a plan or the worklist shows it (maskNumberShapes): ID,
  // mobile, passport and travel permit numbers masked, any other key whole.
  const keyColumn = p.stream.key;
  const shownKey = (key: string): string =>
    show ? key : personal.has(keyColumn) ? maskPersonal(feeds(keyColumn), key) : maskNumberShapes(key);
  const rows: PreviewRow[] = (await readRows(config, pipeline, options)).map((row) => {
    const source: Record<string, string | null> = {};
    // The holder id's and name's columns too when the id is a person's ID number (isPersonHolderId), even
    // where the mapping declares its holders organisations (catalog/personal.ts): a person's.
    const personHolder = mapping.columns.some(
      (c) => feeds(c) === 'holder.id' && isPersonHolderId(row.values[c]),
    );
    for (const column of mapping.columns) {
      // A column the row lacks is not shown, though named `constructor` or `toString`: indexing
      // finds Object.prototype's function, which showed as a column holding null beside the reason
      // saying the column is not in the row.
      if (!Object.hasOwn(row.values, column)) continue;
      const value = row.values[column];
      if (value === undefined) continue;
      // NULL stays null: shown as text it would read as a column holding the word `null`.
      const text = value === null ? null : (showValue(column, value, false, show) ?? null);
      const holderColumn = feeds(column) === 'holder.id' || feeds(column) === 'holder.name';
      const masks = personal.has(column) || (personHolder && holderColumn);
      source[column] =
        !show && masks && text !== null && value !== null ? maskPersonal(feeds(column), text) : text;
    }
    const result = mapper(row, 'preview');
    if (!result.ok) {
      // Reasons keep values masked (the ledger stores them); --show-personal shows the row's own.
      const failures = show
        ? result.reasons.map((r) => unmasked(r, row.values, mapping.origins))
        : result.reasons;
      return { key: shownKey(row.key), source, failures };
    }
    const license = result.candidate.build(1) as unknown as Record<string, unknown>;
    const { idType, id } = (license.holder ?? {}) as { idType?: unknown; id?: unknown };
    const shown = Object.fromEntries(
      flatten(license, '', []).map(([k, v]) => [k, masked(k, v, show, { idType, id }, fromPersonal(k))]),
    );
    return { key: shownKey(row.key), source, license: shown };
  });
  const quarantined = rows.filter((r) => r.failures).length;
  const counts = { read: rows.length, ok: rows.length - quarantined, quarantined };
  return { pipeline, catalogVersion: catalog.version, mappingVersion: mapping.version, counts, rows };
}
