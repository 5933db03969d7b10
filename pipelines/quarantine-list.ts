/**
 * The quarantine worklist: the source rows that did not become licenses, as they stand now —
 * one entry per source key with its latest reasons explained for the person who fixes the row at
 * the source, and counts by reason. History stays in the ledger (`quarantineHistory`).
 */
import { maskNumberShapes } from '../catalog/personal.js';
import type { Config } from '../config/types.js';
import { ErrorCodes, LicbridgeError } from '../core/errors.js';
import type { OpenQuarantineEntry, QuarantineRecord } from '../ledger/quarantine-queries.js';
import { reasonText } from './quarantine-reasons.js';
import { READ_ONLY, withLedger } from './with-ledger.js';

export interface WorklistReason {
  code: string;
  /** The mapping's own words (values in it masked where personal). */
  message: string;
  zh: string;
  en: string;
  path?: string;
  column?: string;
  /** As stored: masked where personal. */
  value?: string;
}

export interface WorklistEntry {
  pipeline: string;
  /** Masked where it is a personal number, unless the query asked for keys whole (`keys`). */
  sourceKey: string;
  reasons: WorklistReason[];
  firstSeen: Date;
  lastSeen: Date;
  timesSeen: number;
}

export interface Worklist {
  entries: WorklistEntry[];
  /** Entries by reason code (an entry with two reasons of one code counts once). */
  byReason: Record<string, number>;
}

export interface WorklistQuery {
  pipeline?: string;
  /** Only entries whose latest reasons include this code. */
  reason?: string;
  /**
   * How record keys are given. `masked`: a key that is a resident ID, mobile, PRC passport or travel
   * permit number masked (maskNumberShapes, as reports and the worklist page show keys), any other
   * whole — what `quarantine list` prints goes to terminals, pasted tickets and CI logs, and a
   * legacy table keyed by its holders' ID numbers made every key personal data. `whole`: for the
   * owner-only file `quarantine export` writes, which the department finds its rows by.
   * @defaultValue 'masked'
   */
  keys?: 'masked' | 'whole';
}

function explain(entry: OpenQuarantineEntry | QuarantineRecord): WorklistReason[] {
  return entry.reasons.map((r) => ({
    code: r.code,
    message: r.message,
    ...reasonText(r.code),
    ...(r.path !== undefined ? { path: r.path } : {}),
    ...(r.column !== undefined ? { column: r.column } : {}),
    ...(r.value !== undefined ? { value: r.value } : {}),
  }));
}

function assertPipeline(config: Readonly<Config>, pipeline: string | undefined): void {
  // Own names only: `in` finds what every object inherits (`toString`) in a map with a prototype.
  if (pipeline !== undefined && !Object.hasOwn(config.pipelines, pipeline)) {
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `quarantine: unknown pipeline \`${pipeline}\`; configured: ${Object.keys(config.pipelines).join(', ')}`,
    );
  }
}

export async function quarantineWorklist(config: Readonly<Config>, query: WorklistQuery): Promise<Worklist> {
  assertPipeline(config, query.pipeline);
  const open = await withLedger(
    config,
    (l) => l.openQuarantine(query.pipeline ? { pipeline: query.pipeline } : {}),
    READ_ONLY,
  );
  const entries: WorklistEntry[] = [];
  const byReason: Record<string, number> = {};
  // Codes as a person types them (`lb_holder_id_check`, a pasted space): a mismatch of case would
  // list nothing and read as "nothing to fix".
  const wanted = query.reason?.trim().toUpperCase();
  for (const o of open) {
    if (wanted && !o.reasons.some((r) => r.code.toUpperCase() === wanted)) continue;
    entries.push({
      pipeline: o.pipeline,
      sourceKey: o.sourceKey,
      reasons: explain(o),
      firstSeen: o.firstSeen,
      lastSeen: o.lastSeen,
      timesSeen: o.timesSeen,
    });
    for (const code of new Set(o.reasons.map((r) => r.code))) byReason[code] = (byReason[code] ?? 0) + 1;
  }
  // Keys as people read them: 2 before 10. Sorted whole, so masking leaves the order as it was.
  entries.sort(
    (a, b) =>
      a.pipeline.localeCompare(b.pipeline) || a.sourceKey.localeCompare(b.sourceKey, 'en', { numeric: true }),
  );
  if (query.keys !== 'whole') for (const e of entries) e.sourceKey = maskNumberShapes(e.sourceKey);
  return { entries, byReason };
}

export interface KeyHistory {
  /** Whether the key is on the worklist now. */
  open: boolean;
  records: (Omit<QuarantineRecord, 'reasons'> & { reasons: WorklistReason[] })[];
}

/** One key's quarantine records, newest first; a usage error when it was never quarantined. */
export async function quarantineKeyHistory(
  config: Readonly<Config>,
  query: { sourceKey: string; pipeline?: string },
): Promise<KeyHistory> {
  assertPipeline(config, query.pipeline);
  const records = await withLedger(config, (l) => l.quarantineHistory(query), READ_ONLY);
  if (records.length === 0) {
    throw new LicbridgeError(ErrorCodes.USAGE, 'quarantine show: no quarantine record for this source key', {
      context: { ...(query.pipeline ? { pipeline: query.pipeline } : {}), recordKey: query.sourceKey },
    });
  }
  return {
    open: records.some((r) => r.resolvedAt === null),
    records: records.map((r) => ({ ...r, reasons: explain(r) })),
  };
}
