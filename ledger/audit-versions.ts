/**
 * Every version row must have its act in the chain. A version is written in the transaction that
 * records its act, so each row of `license_versions` is named by an entry: a batch entry's
 * `versions` ranges, an entry of one act's `detail.versionId`, or (a repair's, which names no
 * version id) its license and version number with the row's content hash as `digest`. The digests
 * of the first two are checked against the rows as the chain is walked (audit.ts, audit-acts.ts);
 * a repair's here. What the walk cannot see is a row no entry names: one inserted into the ledger
 * with an id no version took (a PostgreSQL sequence gap, an id below the newest), which neither
 * the chain's links nor the newest-version check notice.
 *
 * While verify walks the chain, `VersionTally` notes the ids its entries account for as ranges
 * (ids of one transaction follow each other, so memory grows with the gaps between them, not with
 * the versions; at most a cap of them, a window of ids at a time: audit-id-ranges.ts);
 * `unrecordedVersions` then reads the version ids in pages, a pipeline at a time
 * (their index on pipeline and version id alone), up to the newest one the head's snapshot saw.
 * A version committed after that snapshot with a lower id (another process's page in flight) has
 * its entry past the head: the entries appended since are read before any version is named, and
 * those they record are not.
 */
import { versionRangeParts } from './audit-batch.js';
import { IdRanges } from './audit-id-ranges.js';
import { nearestEntries } from './audit-nearest.js';
import { type EntryTally, noteEntriesSince } from './audit-since.js';
import type { AuditEntry, AuditProblem } from './audit-types.js';
import { readContentHash } from './content-hash-column.js';
import { chunk, type Db, toInt } from './db.js';

/** A version no entry of the chain records, named by its license and number. */
export interface UnrecordedVersion {
  licenseId: string;
  version: number;
  /** As the ledger holds it: decimal text for an id beyond the safe integers, which no entry can record. */
  versionId: number | string;
}

/** Most unrecorded versions named: enough to act on, few enough for one message and one result. */
export const UNRECORDED_NAMED = 100;

/** The versions the entries of the chain account for, noted as verify walks it. */
export class VersionTally implements EntryTally {
  private readonly ids: IdRanges;
  /** A page's entries that name their version by license and number (repairs): resolved by `settle`. */
  private named: { licenseId: string; version: number; digest: string }[] = [];

  /** Notes the ids from `floor` on, at most `cap` ranges of them (audit-id-ranges.ts). */
  constructor(
    readonly versionActions: ReadonlySet<string>,
    readonly window: { floor?: number; cap?: number } = {},
  ) {
    this.ids = new IdRanges(window.floor, window.cap);
  }

  /** The first id of the window noted. */
  get floor(): number {
    return this.ids.floor;
  }

  /** The last id of the window noted: ids past it are another window's. */
  get limit(): number {
    return this.ids.limit;
  }

  /** Notes the versions an entry that follows the chain records. */
  note(e: AuditEntry): void {
    if (!this.versionActions.has(e.action) || e.digest === null) return;
    let detail: { versions?: unknown; versionId?: unknown };
    try {
      detail = JSON.parse(e.detail) as typeof detail;
    } catch {
      // Named by the walk's batch check: such an entry accounts for nothing.
      return;
    }
    if (e.licenseId === null) {
      if (typeof detail.versions !== 'string') return;
      try {
        for (const [from, to] of versionRangeParts(detail.versions)) this.ids.add(from, to);
      } catch {
        // A list in no form licbridge writes: named by the walk's batch check.
      }
      return;
    }
    if (typeof detail.versionId === 'number' && Number.isSafeInteger(detail.versionId)) {
      this.ids.add(detail.versionId, detail.versionId);
    } else if (e.version !== null) {
      this.named.push({ licenseId: e.licenseId, version: e.version, digest: e.digest });
    }
  }

  /** Resolves the entries noted since the last call that name their version by license and number. */
  async settle(db: Db): Promise<void> {
    if (this.named.length === 0) return;
    const named = this.named;
    this.named = [];
    const wanted = new Map(named.map((n) => [`${n.licenseId}\u0000${n.version}`, n.digest]));
    await db.read('verifyAuditVersionsNamed', async (k) => {
      for (const part of chunk([...new Set(named.map((n) => n.licenseId))], db.maxParams - 1)) {
        const rows: {
          version_id: unknown;
          license_id: string;
          version: unknown;
          content_hash: string;
          content_hash_bytes: unknown;
        }[] = await k('license_versions')
          .select('version_id', 'license_id', 'version', 'content_hash', 'content_hash_bytes')
          .whereIn('license_id', part);
        for (const r of rows) {
          // The entry accounts for the row only as it recorded it: a changed content hash is not its.
          const hash = readContentHash(r.content_hash, r.content_hash_bytes);
          if (wanted.get(`${r.license_id}\u0000${toInt(r.version)}`) !== hash) continue;
          const id = toInt(r.version_id);
          this.ids.add(id, id);
        }
      }
    });
  }

  has(versionId: number): boolean {
    return this.ids.has(versionId);
  }
}

export interface UnrecordedOptions {
  newestId: number;
  headSeq: number;
  pageSize: number;
  /**
   * Told after each page of version ids read: how many so far in the window `window` (1 for the
   * first; see `unrecordedVersions`). Counts only, for a command's progress.
   */
  onRead?: (read: number, window: number) => void;
  /**
   * Told after each page of a walk of the chain made for window `window` (2 on): the entries
   * walked so far, and the head's seq (entries appended since are walked too). Counts only.
   */
  onRewalk?: (walked: number, headSeq: number, window: number) => void;
}

/**
 * The versions up to `newestId` that no entry noted in `tally` records, or in an entry appended
 * after `headSeq` since: at most `UNRECORDED_NAMED`, by pipeline and id. Reads `pageSize` ids at a time.
 */
export async function unrecordedVersions(
  db: Db,
  tally: VersionTally,
  options: UnrecordedOptions,
): Promise<UnrecordedVersion[]> {
  const found: UnrecordedVersion[] = await unsafeIds(db);
  const { onRead, onRewalk } = options;
  // A count per window: each window's ids are read after its own walk of the chain, a phase of
  // its own in a command's progress.
  let n = 1;
  let read = 0;
  const pageRead = (count: number): void => {
    read += count;
    onRead?.(read, n);
  };
  let window = tally;
  for (;;) {
    await unrecordedInWindow(db, window, options, found, pageRead);
    if (found.length >= UNRECORDED_NAMED || window.limit >= options.newestId) break;
    // The ranges reached their cap: the ids past the window are noted by another walk of the chain,
    // as long as the first one: told as it goes, or a large ledger says nothing for minutes.
    window = new VersionTally(tally.versionActions, { ...tally.window, floor: window.limit + 1 });
    n += 1;
    read = 0;
    const walking = n;
    await noteEntriesSince(
      db,
      'verifyAuditSince',
      window,
      0,
      options.pageSize,
      onRewalk && ((walked) => onRewalk(walked, options.headSeq, walking)),
    );
  }
  return found.slice(0, UNRECORDED_NAMED);
}

/**
 * The versions whose ids lie beyond the safe integers (at most `UNRECORDED_NAMED`), lowest first: no
 * sequence hands one out and no entry can record one (the walk notes safe integers alone), so each
 * is unrecorded; the windows' walk starts at the lowest safe integer and ends at the newest safe
 * id, and a row at -2^62 passed unseen. Their ids are read as text, as a number would round them.
 */
async function unsafeIds(db: Db): Promise<UnrecordedVersion[]> {
  const rows: { id: string; license_id: string; version: unknown }[] = await db.read(
    'verifyAuditVersionsUnsafe',
    (k) =>
      k('license_versions')
        .select(k.raw('cast(version_id as text) as id'), 'license_id', 'version')
        .where('version_id', '<', Number.MIN_SAFE_INTEGER)
        .orWhere('version_id', '>', Number.MAX_SAFE_INTEGER)
        .orderBy('version_id')
        .limit(UNRECORDED_NAMED),
  );
  return rows.map((r) => ({ licenseId: r.license_id, version: toInt(r.version), versionId: r.id }));
}

/** Adds to `found` the versions of `tally`'s window that no entry records (see `unrecordedVersions`). */
async function unrecordedInWindow(
  db: Db,
  tally: VersionTally,
  options: UnrecordedOptions,
  found: UnrecordedVersion[],
  pageRead: (n: number) => void,
): Promise<void> {
  let tailSeq = options.headSeq;
  let candidates: number[] = [];
  // Candidates gathered a batch at a time (bounded memory), then checked against the entries
  // appended since the head; those still unrecorded are read whole and named. An id past the
  // window (lowered as entries are noted) is the next window's.
  const settle = async (): Promise<void> => {
    tailSeq = await noteEntriesSince(db, 'verifyAuditSince', tally, tailSeq, options.pageSize);
    const left = candidates.filter((id) => id <= tally.limit && !tally.has(id));
    candidates = [];
    if (left.length === 0) return;
    const rows: { version_id: unknown; license_id: string; version: unknown }[] = await db.read(
      'verifyAuditVersionsNamed',
      (k) => k('license_versions').select('version_id', 'license_id', 'version').whereIn('version_id', left),
    );
    for (const r of rows.sort((a, b) => toInt(a.version_id) - toInt(b.version_id))) {
      found.push({ licenseId: r.license_id, version: toInt(r.version), versionId: toInt(r.version_id) });
    }
  };
  for await (const id of unaccountedIds(db, tally, options, pageRead)) {
    candidates.push(id);
    if (candidates.length + found.length < UNRECORDED_NAMED) continue;
    await settle();
    if (found.length >= UNRECORDED_NAMED) break;
  }
  if (candidates.length > 0) await settle();
}

/**
 * The ids up to `newestId` that `tally` does not hold, a pipeline at a time: each read is a range
 * of the (pipeline, version_id) index alone, which holds both columns, not of the table's rows
 * (payloads: some 1 KB a version, 100 MB to read for 100,000 versions).
 */
async function* unaccountedIds(
  db: Db,
  tally: VersionTally,
  options: Pick<UnrecordedOptions, 'newestId' | 'pageSize'>,
  pageRead: (n: number) => void,
): AsyncGenerator<number> {
  let pipeline: string | null | undefined;
  for (;;) {
    const from = pipeline;
    // The next pipeline name (the index's first column): one index look-up each, however many
    // versions. The first with no bound: one after '' left out rows under an empty name.
    const next: { p?: string | null } | undefined = await db.read('verifyAuditVersionPipelines', (k) => {
      const q = k('license_versions').min({ p: 'pipeline' });
      return (from === undefined ? q : q.where('pipeline', '>', from)).first();
    });
    pipeline = next?.p ?? null;
    if (pipeline === null) return;
    const name: string = pipeline;
    let after = tally.floor - 1;
    for (;;) {
      if (after >= tally.limit) break;
      const page: { version_id: unknown }[] = await db.read('verifyAuditVersions', (k) =>
        k('license_versions')
          .select('version_id')
          .where('pipeline', name)
          .andWhere('version_id', '>', after)
          .andWhere('version_id', '<=', Math.min(options.newestId, tally.limit))
          .orderBy('version_id')
          .limit(options.pageSize),
      );
      pageRead(page.length);
      for (const r of page) {
        after = toInt(r.version_id);
        if (after > tally.limit) break;
        if (!tally.has(after)) yield after;
      }
      if (page.length < options.pageSize) break;
    }
  }
}

/**
 * The problem verify reports for versions no entry records; undefined when there are none. The
 * chain itself is intact: the message says which versions are unrecorded, by license id, version
 * number and version id (no personal data), and the entry nearest each (audit-nearest.ts).
 */
export async function unrecordedProblem(
  db: Db,
  unrecorded: readonly UnrecordedVersion[],
  tally: VersionTally,
  options: {
    headSeq: number;
    pageSize: number;
    /** Told after each page of the walk for the nearest entries: the entries walked so far, the head's seq. */
    onNearest?: (walked: number, headSeq: number) => void;
  },
): Promise<AuditProblem | undefined> {
  if (unrecorded.length === 0) return undefined;
  const named = unrecorded.slice(0, 10);
  const { onNearest, headSeq } = options;
  const nearest = await nearestEntries(
    db,
    named.flatMap((u) => (typeof u.versionId === 'number' ? [u.versionId] : [])),
    tally.versionActions,
    options.pageSize,
    onNearest && ((walked) => onNearest(walked, headSeq)),
  );
  const shown = named.map((u) => {
    const seq = typeof u.versionId === 'number' ? nearest.get(u.versionId) : undefined;
    const near = seq === undefined ? '' : `; the nearest entry recording a version is ${seq}`;
    return `license ${u.licenseId} version ${u.version} (version id ${u.versionId}${near})`;
  });
  const more = unrecorded.length > shown.length ? `, and ${unrecorded.length - shown.length} more` : '';
  const count =
    unrecorded.length >= UNRECORDED_NAMED
      ? `${UNRECORDED_NAMED} or more versions`
      : `${unrecorded.length} version(s)`;
  return {
    seq: options.headSeq + 1,
    kind: 'unrecorded',
    message: `the ledger holds ${count} that no entry of the chain records: ${shown.join(', ')}${more}; written outside licbridge, or their entries deleted and the chain rewritten`,
  };
}
