/**
 * Quarantined rows that something other than their own row fixed. A row is read by a run only when
 * its cursor moves past the checkpoint, so a row quarantined for a fault outside itself stayed in
 * quarantine for good once that fault was fixed, and every unattended run said all was well:
 *
 * - `LB_SOURCE_KEY_DUPLICATE`, `LB_SOURCE_KEY_AMBIGUOUS`: the department renumbered or deleted the
 *   other row of the key, whose cursor alone moved. Only the source can tell: read again at every
 *   run.
 * - `LB_PREDECESSOR_UNKNOWN`: the license the renewal names was issued since (later in the same
 *   first read, or once its own quarantined row was fixed). A predecessor is looked for among the
 *   pipeline's licenses only, so a record is read again when the pipeline has issued versions since
 *   it was last seen. (The number it names is kept in the reason as shown to people, masked where
 *   it looks like an ID number, so it is not matched against the ledger.) A renewal failing as
 *   before writes nothing, so from then on it is read at every turn until its predecessor comes:
 *   kept so, as a read by key of an indexed column within `limit` keys (docs/troubleshooting.md).
 * - any reason, once the mapping or the catalog changed: a record last seen before the change was
 *   judged by the old one.
 *
 * At the end of each run's extraction the chosen keys' rows are read again by key
 * (`SourceConnector.readKeys`) and committed as one more page of the run — mapped, validated,
 * identified, signed and delivered as any — on top of the checkpoint, which stays where the run
 * left it. A row that maps closes its record; one that still fails is quarantined with its
 * current reasons. At most `limit` keys a run, least recently seen first, taking up after the
 * last run's share, so keys the source no longer holds do not take every run's share. Rows
 * without a key (stand-ins), and `LB_VERSION_LIMIT` and `LB_STORED_TEXT` records, which a person
 * closes, are never chosen. Logs say counts only, never a key.
 *
 * What the pipeline last saw — the mapping's context, when it changed, when versions were last
 * issued, where the last share ended — is kept as connector state of the pipeline's source (scope
 * `quarantine-recheck`, one entry per pipeline).
 */
import type { KeyedRows } from '../connectors/source.js';
import type { Logger } from '../core/logger.js';
import type { Ledger, QuarantineCandidate, QuarantineReason, StateGuard } from '../ledger/ledger.js';
import type { OpenQuarantineEntry } from '../ledger/quarantine-queries.js';
import type { PipelineParts } from './runtime.js';

export const RECHECK_SCOPE = 'quarantine-recheck';

/** Reasons whose fault may lie in another row, fixed without this row changing. */
const AMBIGUOUS = 'LB_SOURCE_KEY_AMBIGUOUS';
const ELSEWHERE = new Set(['LB_SOURCE_KEY_DUPLICATE', AMBIGUOUS]);
const PREDECESSOR = 'LB_PREDECESSOR_UNKNOWN';
/** Never read again by key: no key to read by, or a person closes them. */
const NEVER = new Set(['LB_SOURCE_KEY_MISSING', 'LB_VERSION_LIMIT', 'LB_STORED_TEXT']);

/** The pipeline's entry, as stored (JSON, `v: 1`). */
export interface RecheckState {
  /** The mapping and catalog context the pipeline last ran with. */
  ctx?: string;
  /** When that context was first seen (ISO): records last seen before were judged by an older one. */
  changedAt?: string;
  /** When the pipeline last issued versions (ISO). */
  issuedAt?: string;
  /**
   * Where the last share ended, as (last seen ISO, place among the keys last seen then, in key
   * order): the next share starts after it. No key: a source key may be an ID number, and this
   * entry outlives its record. (Before: (last seen ISO, key), read and rewritten as the place before
   * the first.)
   */
  after?: [string, number | string];
  /** Shares committed: moved by each re-read page's commit, so a second copy's page is refused. */
  n?: number;
}

function decode(value: string | undefined): RecheckState {
  if (value === undefined) return {};
  try {
    const parsed = JSON.parse(value) as RecheckState & { v?: unknown };
    return parsed && parsed.v === 1 ? parsed : {};
  } catch {
    return {};
  }
}

/**
 * The keys to read again of the open worklist `entries`, least recently seen first, after
 * `state.after` and then from the start: at most `limit`. `runId`: the run reading. Pure.
 */
export function chooseRecheckKeys(
  entries: readonly OpenQuarantineEntry[],
  state: RecheckState,
  limit: number,
  runId: string,
): { keys: string[]; after?: [string, number] } {
  const changedAt = state.changedAt ? Date.parse(state.changedAt) : null;
  const issuedAt = state.issuedAt ? Date.parse(state.issuedAt) : null;
  const eligible = entries.filter((e) => {
    const codes = e.reasons.map((r) => r.code);
    if (codes.length === 0 || codes.some((c) => NEVER.has(c))) return false;
    const seen = e.lastSeen.getTime();
    if (issuedAt !== null && seen < issuedAt && codes.includes(PREDECESSOR)) return true;
    // This run's own read of the key (an earlier attempt's too, or another copy's of its job) saw
    // what the source holds now, under this run's mapping.
    if (e.lastRunId === runId) return false;
    if (codes.some((c) => ELSEWHERE.has(c))) return true;
    return changedAt !== null && seen < changedAt;
  });
  const seenAt = (e: OpenQuarantineEntry) => e.lastSeen.toISOString();
  eligible.sort((a, b) => {
    const [x, y] = [seenAt(a), seenAt(b)];
    return x < y ? -1 : x > y ? 1 : a.sourceKey < b.sourceKey ? -1 : a.sourceKey > b.sourceKey ? 1 : 0;
  });
  // Each key's place among those last seen at the same time (one commit's records): a key that
  // closed since shifts the rest by one, and the share takes one key again or passes one over.
  const places = new Map<OpenQuarantineEntry, [string, number]>();
  eligible.forEach((e, i) => {
    const before = places.get(eligible[i - 1] as OpenQuarantineEntry);
    places.set(e, [seenAt(e), before && before[0] === seenAt(e) ? before[1] + 1 : 0]);
  });
  const at = (e: OpenQuarantineEntry) => places.get(e) as [string, number];
  const order = (a: [string, number], b: [string, number]) =>
    a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1];
  const after: [string, number] | undefined = state.after
    ? [state.after[0], typeof state.after[1] === 'number' ? state.after[1] : -1]
    : undefined;
  const later = after ? eligible.filter((e) => order(at(e), after) > 0) : eligible;
  const earlier = after ? eligible.filter((e) => order(at(e), after) <= 0) : [];
  const taken = [...later, ...earlier].slice(0, Math.max(0, limit));
  const last = taken[taken.length - 1];
  return { keys: taken.map((e) => e.sourceKey), ...(last ? { after: at(last) } : {}) };
}

export interface Recheck {
  /** The rows read again; empty when none of the keys is held any more. */
  rows: KeyedRows;
  /** How many keys were asked for. */
  keys: number;
  /**
   * The pipeline's entry as this copy found it and as the share leaves it: the re-read page
   * commits only by moving it (ledger/state-guard.ts). Its checkpoint is the one it follows, so
   * the checkpoint chain alone let every copy of a run commit it, the oldest read last.
   */
  guard: StateGuard;
  /** The reasons of each chosen key's open record (its latest read). */
  open: ReadonlyMap<string, readonly QuarantineReason[]>;
}

/** A reason as compared: every field a person is shown (field, column, masked value, message). */
const shown = (r: QuarantineReason) =>
  JSON.stringify([r.code, r.path ?? null, r.column ?? null, r.value ?? null, r.location ?? null, r.message]);

/**
 * Whether a re-read row quarantined with `reasons` fails as its open record says (`open`): the same
 * reasons whole, not their codes only. A row failing with the same code on another field or value
 * (a mapping change moved the fault) gets its record as any quarantine would, or the worklist,
 * export and CLI kept naming the old field and value.
 */
export function failsAsBefore(
  open: readonly QuarantineReason[] | undefined,
  reasons: QuarantineCandidate['reasons'],
): boolean {
  if (!open) return false;
  const now = [...new Set(reasons.map(shown))].sort();
  const before = [...new Set(open.map(shown))].sort();
  return now.length === before.length && now.every((c, i) => c === before[i]);
}

/**
 * `guard` leaving `issuedAt` at `at`, when the re-read page, its commit begun then, holds rows to
 * issue: a renewal quarantined before the predecessor this page issues is read again next run
 * (before, nothing stored it and the renewal waited for a page of a later run to issue anything).
 */
export function issuing(guard: StateGuard, at: Date): StateGuard {
  const to = JSON.parse(guard.to) as RecheckState;
  return { ...guard, to: JSON.stringify({ ...to, issuedAt: at.toISOString() }) };
}

/**
 * A share none of whose rows was committed (none held any more, or each failing as before): its
 * entry moves on as the page's commit would have moved it, if no other copy moved it since
 * (compare-and-set: a read, then a write, overwrote a share another copy committed in between).
 */
export async function passShare(ledger: RecheckLedger, guard: StateGuard): Promise<void> {
  await ledger.moveStateEntry(guard);
}

export type RecheckLedger = Pick<Ledger, 'openQuarantine' | 'stateEntries' | 'moveStateEntry'>;

/**
 * Another copy of the run (or another run) moved the re-read's entry since this copy read it: that
 * read is as new as this one, and this copy's skipping it is not an error.
 */
export function logSkipped(
  logger: Pick<Logger, 'info'>,
  fields: { pipeline: string; runId: string; keys?: number },
): void {
  logger.info(
    { ...fields, skipped: 1 },
    'extract: another extraction read the quarantined keys again first; this copy skips its re-read',
  );
}

/**
 * Reads again the rows of the pipeline's quarantined keys chosen above; null when none is chosen
 * or the source cannot read by key. `startedAt`: when the run's extraction began (a mapping first
 * seen now judged nothing before it); `issuedAt`: when the run last began a commit that issued
 * versions (taken before its commit, whose own quarantine records are written after it);
 * `follows`: whether the run has a checkpoint to commit the page on (none: nothing is read). Keeps
 * what the run saw before the read; where the share ended moves only with the share's commit
 * (`Recheck.guard`, `passShare`): a share that failed, waited for the read window or was not
 * committed is the next run's again.
 */
export async function readQuarantinedAgain(
  parts: PipelineParts,
  ledger: RecheckLedger,
  options: {
    startedAt: Date;
    issuedAt?: Date;
    follows: boolean;
    logger: Logger;
    runId: string;
    signal?: AbortSignal;
  },
): Promise<Recheck | null> {
  const limit = parts.config.quarantineRecheck;
  const source = parts.config.source;
  const stored = (await ledger.stateEntries(source, RECHECK_SCOPE)).find((e) => e.key === parts.name);
  const state = decode(stored?.value);
  const next: RecheckState = { ...state };
  const ctx = parts.mappingContext;
  // First seen (no entry yet, or an older mapping): what was quarantined before this run was judged
  // by whatever ran before. A first entry takes the same view: records of before it are read once.
  if (ctx !== undefined && ctx !== state.ctx) {
    next.ctx = ctx;
    next.changedAt = options.startedAt.toISOString();
  }
  if (options.issuedAt) next.issuedAt = options.issuedAt.toISOString();
  // An entry of before 39564c27 holds the last share's source key (maybe an ID number): rewritten
  // at its first read as the place before the first, by the compare-and-set below. Before, it
  // stayed until a share committed, for good where no key was open.
  if (typeof state.after?.[1] === 'string') next.after = [state.after[0], -1];
  const readKeys = parts.source.readKeys?.bind(parts.source);
  const entries = readKeys && limit > 0 ? await ledger.openQuarantine({ pipeline: parts.name }) : [];
  const chosen = chooseRecheckKeys(entries, next, limit, options.runId);
  const keys = chosen.keys;
  // What the run saw is kept whatever the read does; the share moves on only with its commit. Kept
  // by compare-and-set from what this copy found: a plain write overwrote the entry another copy
  // had moved meanwhile, and both copies committed the re-read page. Moved: this copy skips.
  let from = stored?.value ?? null;
  if (JSON.stringify(next) !== JSON.stringify(state)) {
    const to = JSON.stringify({ v: 1, ...next });
    if (!(await ledger.moveStateEntry({ source, scope: RECHECK_SCOPE, key: parts.name, from, to }))) {
      logSkipped(options.logger, { pipeline: parts.name, runId: options.runId });
      return null;
    }
    from = to;
  }
  if (!readKeys || keys.length === 0 || !options.follows) return null;
  const wanted = new Set(keys);
  // Only a key a page found ambiguous is read with its trailing-space spellings (a LIKE, which
  // PostgreSQL and SQLite serve by a full scan): connectors/sql/keyed-reads.ts `spacedSpelling`.
  const spaced = entries
    .filter((e) => wanted.has(e.sourceKey) && e.reasons.some((r) => r.code === AMBIGUOUS))
    .map((e) => e.sourceKey);
  const rows = await readKeys(parts.config.stream, keys, {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(spaced.length > 0 ? { spaced } : {}),
  });
  const open = new Map<string, QuarantineReason[]>();
  for (const e of entries) if (wanted.has(e.sourceKey)) open.set(e.sourceKey, e.reasons);
  options.logger.info(
    {
      pipeline: parts.name,
      runId: options.runId,
      keys: keys.length,
      rows: rows.rows.length,
      read: rows.read !== false,
    },
    'extract: quarantined rows read again by key',
  );
  const to = JSON.stringify({
    v: 1,
    ...next,
    ...(chosen.after ? { after: chosen.after } : {}),
    n: (next.n ?? 0) + 1,
  });
  return {
    rows,
    keys: keys.length,
    guard: { source, scope: RECHECK_SCOPE, key: parts.name, from, to },
    open,
  };
}
