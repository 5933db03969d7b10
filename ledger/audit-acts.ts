/**
 * The acts an entry of one act records, checked against the ledger's rows: a new version's entry
 * holds its license, version number and content hash (`digest`), a signature's entry its seal
 * (the actor) and signature digest, a license file's its seal (the actor), license, version, SM3
 * (`digest`) and `detail.size`, each with `detail.versionId` (a repair's version entry names its
 * license and number alone, and is looked up by them); a version's also its operation (the
 * entry's action) and, through its content hash, its stored text (audit-version-rows.ts). Versions, signatures and license
 * files are never changed once written, so a row that no longer matches, or is gone, was changed since —
 * as verify finds for a batch's acts (audit-batch-acts.ts), which an act alone in its batch (an incremental
 * run that changed one license) must not escape.
 */
import { rangesHold, versionRangeParts } from './audit-batch.js';
import type { AuditEntry, AuditProblem } from './audit-types.js';
import {
  readVersionActs,
  VERSION_ROWS_AT_ONCE,
  type VersionActRow,
  versionActProblem,
} from './audit-version-rows.js';
import { chunk, type Db, toInt } from './db.js';
import { readDigest } from './digest-column.js';

/** `named`: a version's entry that names it by license and number alone (a repair's operation). */
type ActKind = 'version' | 'named' | 'signature' | 'file';

interface SingleAct {
  entry: AuditEntry;
  kind: ActKind;
  versionId: number;
  /** Its row's key in `recordedRows`: the version id, and a signature's seal. */
  key: string;
  /** What the entry records of its row, as `recordedRows` gives the row. */
  recorded: string;
}

/** The seal an entry's actor names for `prefix` (`signer:`, `seal:`), when its action is `action`. */
export function actorSeal(e: AuditEntry, action: string, prefix: string): string | undefined {
  return e.action === action && e.actor.startsWith(prefix) ? e.actor.slice(prefix.length) : undefined;
}

function singleAct(e: AuditEntry, versionActions: ReadonlySet<string>): SingleAct | undefined {
  if (e.licenseId === null || e.digest === null) return undefined;
  const signer = actorSeal(e, 'sign', 'signer:');
  const fileSeal = actorSeal(e, 'issue-file', 'seal:');
  const kind: ActKind | undefined = versionActions.has(e.action)
    ? 'version'
    : signer !== undefined
      ? 'signature'
      : fileSeal !== undefined
        ? 'file'
        : undefined;
  if (kind === undefined) return undefined;
  let detail: { versionId?: unknown; size?: unknown; reason?: unknown };
  try {
    detail = JSON.parse(e.detail) as typeof detail;
  } catch {
    return undefined;
  }
  const id = detail.versionId;
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) {
    // A repair's version entry (reconcile-repairs.ts: its detail the repair's run and reason)
    // names its license and number, no version id: that row is looked up by them. Other entries
    // naming no version id are bound by the chain alone.
    if (kind !== 'version' || e.version === null || typeof detail.reason !== 'string') return undefined;
    const key = `${e.licenseId}\u0000${e.version}`;
    return { entry: e, kind: 'named', versionId: Number.NaN, key, recorded: `${key}\u0000${e.digest}` };
  }
  const recorded =
    kind === 'version'
      ? `${e.licenseId}\u0000${e.version}\u0000${e.digest}`
      : kind === 'signature'
        ? `${signer}\u0000${e.digest}`
        : `${fileSeal}\u0000${e.licenseId}\u0000${e.version}\u0000${e.digest}\u0000${String(detail.size)}`;
  const key = kind === 'signature' ? `${id}\u0000${signer}` : `${id}`;
  return { entry: e, kind, versionId: id, key, recorded };
}

/** A row as `singleAct` records it, and (a version's) the row itself, for `versionActProblem`. */
interface FoundRow {
  recorded: string;
  version?: VersionActRow;
}

/** The version rows of `pairs` (license id, version number) as `singleAct` records them, by both. */
async function namedRows(db: Db, pairs: readonly [string, number][]): Promise<Map<string, FoundRow>> {
  const out = new Map<string, FoundRow>();
  await db.read('verifyAuditNamedActs', async (k) => {
    // Two parameters a pair: the row-value IN of both databases, on the (license, version) key.
    for (const part of chunk(pairs, Math.min(Math.floor((db.maxParams - 1) / 2), VERSION_ROWS_AT_ONCE))) {
      for (const r of await readVersionActs(k, (q) => q.whereIn(['v.license_id', 'v.version'], part))) {
        const named = `${r.licenseId}\u0000${r.version}`;
        out.set(named, { recorded: `${named}\u0000${r.contentHash}`, version: r });
      }
    }
  });
  return out;
}

/** The rows of `ids` as `singleAct` records them, by version id (a signature's by id and seal). */
async function recordedRows(db: Db, kind: ActKind, ids: readonly number[]): Promise<Map<string, FoundRow>> {
  const out = new Map<string, FoundRow>();
  await db.read('verifyAuditSingleActs', async (k) => {
    for (const part of chunk([...new Set(ids)], Math.min(db.maxParams - 1, VERSION_ROWS_AT_ONCE))) {
      if (kind === 'version') {
        for (const r of await readVersionActs(k, (q) => q.whereIn('v.version_id', part))) {
          out.set(`${r.versionId}`, {
            recorded: `${r.licenseId}\u0000${r.version}\u0000${r.contentHash}`,
            version: r,
          });
        }
      } else if (kind === 'signature') {
        const rows: { version_id: unknown; seal_id: string; digest: string; digest_bytes: unknown }[] =
          await k('signatures')
            .select('version_id', 'seal_id', 'digest', 'digest_bytes')
            .whereIn('version_id', part);
        for (const r of rows)
          out.set(`${toInt(r.version_id)}\u0000${r.seal_id}`, {
            recorded: `${r.seal_id}\u0000${readDigest(r.digest, r.digest_bytes)}`,
          });
      } else {
        // A version keeps the file recorded first (license-files.ts): the row never changes.
        const rows: {
          version_id: unknown;
          seal: string;
          license_id: string;
          version: unknown;
          sm3: string;
          size: unknown;
        }[] = await k('license_files')
          .select('version_id', 'seal', 'license_id', 'version', 'sm3', 'size')
          .whereIn('version_id', part);
        for (const r of rows)
          out.set(`${toInt(r.version_id)}`, {
            recorded: `${r.seal}\u0000${r.license_id}\u0000${toInt(r.version)}\u0000${r.sm3}\u0000${toInt(r.size)}`,
          });
      }
    }
  });
  return out;
}

const WHAT: Record<ActKind, string> = {
  version: 'version',
  named: 'version',
  signature: 'signature',
  file: 'license file',
};

/** The first entry of one act in `page` whose version, signature or license file row no longer matches it. */
export async function firstDifferingSingle(
  db: Db,
  page: readonly AuditEntry[],
  versionActions: ReadonlySet<string>,
): Promise<AuditProblem | undefined> {
  const acts = page.flatMap((e) => singleAct(e, versionActions) ?? []);
  if (acts.length === 0) return undefined;
  const rows = new Map<ActKind, Map<string, FoundRow>>();
  for (const kind of ['version', 'named', 'signature', 'file'] as const) {
    const of = acts.filter((a) => a.kind === kind);
    if (of.length === 0) continue;
    if (kind === 'named') {
      const pairs = new Map(of.map((a) => [a.key, [a.entry.licenseId, a.entry.version] as [string, number]]));
      rows.set(kind, await namedRows(db, [...pairs.values()]));
    } else {
      rows.set(
        kind,
        await recordedRows(
          db,
          kind,
          of.map((a) => a.versionId),
        ),
      );
    }
  }
  for (const { entry: e, kind, versionId, key, recorded } of acts) {
    const found = rows.get(kind)?.get(key);
    const why =
      found?.version && found.recorded === recorded ? versionActProblem(found.version, e.action) : undefined;
    if (found?.recorded === recorded && why === undefined) continue;
    // A named version's id is the row's, when there is one.
    const id = Number.isNaN(versionId) ? (found?.version?.versionId ?? undefined) : versionId;
    const which = id === undefined ? `version ${e.version} of its license` : `version id ${id}`;
    return {
      seq: e.seq,
      kind: 'acts-differ',
      message:
        found === undefined
          ? `entry ${e.seq}: the ${WHAT[kind]} it records (${which}) is no longer in the ledger`
          : `entry ${e.seq}: the ${WHAT[kind]} it records (${which}) was changed in the ledger since${why === undefined ? '' : ` (${why})`}`,
    };
  }
  return undefined;
}

/**
 * The ledger's newest version: written in the transaction that records its act, so an entry of
 * the chain as it stood then records it — unless entries were deleted from its entry on and the
 * head set back to the entry before (all links then fit), or every entry was and the head set
 * back to the start.
 */
export interface NewestVersion {
  versionId: number;
  licenseId: string;
  version: number;
}

/**
 * Whether `e` records the act that wrote `newest`: a batch's version-id ranges hold its id; an
 * entry of one act names its license and version number (a repair's names no version id).
 */
export function recordsVersion(
  e: AuditEntry,
  newest: NewestVersion,
  versionActions: ReadonlySet<string>,
): boolean {
  if (!versionActions.has(e.action)) return false;
  if (e.licenseId !== null) return e.licenseId === newest.licenseId && e.version === newest.version;
  try {
    const ranges = (JSON.parse(e.detail) as { versions?: unknown }).versions;
    // Ranges are tested, not expanded: a batch of thousands of versions is a handful of ranges.
    return typeof ranges === 'string' && rangesHold(versionRangeParts(ranges), newest.versionId);
  } catch {
    return false;
  }
}

/** Runs read before the head whose `read` entries verify adds up: running ones, and the newest few. */
const RECENT_RUNS = 20;

/**
 * The rows read of the runs a cut off the chain's end would take pages of: every run still
 * running and the newest few by start, by run id. Each page's `read` entry records the rows its
 * transaction adds to its run's `read_count`, so a chain cut after the newest version (a run that
 * read pages and changed nothing leaves only `read` entries) falls short of the count. Read
 * before the head: pages committed in between add entries and rows the count does not yet hold,
 * so the entries up to the head add up to at least it.
 */
export async function recentRunReads(db: Db): Promise<Map<string, number>> {
  return db.read('verifyAuditRuns', async (k) => {
    const newest = k('runs')
      .select('run_id')
      .where('read_count', '>', 0)
      .orderBy([
        { column: 'started_at', order: 'desc' },
        { column: 'run_id', order: 'desc' },
      ])
      .limit(RECENT_RUNS);
    const rows: { run_id: string; read_count: unknown }[] = await k('runs')
      .select('run_id', 'read_count')
      .where('read_count', '>', 0)
      .andWhere((q) => q.where('state', 'running').orWhereIn('run_id', newest));
    return new Map(rows.map((r) => [r.run_id, toInt(r.read_count)]));
  });
}

/** The run and rows a `read` entry records, for a run of `runs`; undefined for any other entry. */
export function readRows(
  e: AuditEntry,
  runs: ReadonlyMap<string, number>,
): { runId: string; rows: number } | undefined {
  if (e.action !== 'read' || runs.size === 0) return undefined;
  let detail: { runId?: unknown; rows?: unknown };
  try {
    detail = JSON.parse(e.detail) as typeof detail;
  } catch {
    return undefined;
  }
  const { runId, rows } = detail;
  if (typeof runId !== 'string' || !runs.has(runId) || typeof rows !== 'number') return undefined;
  return { runId, rows };
}
