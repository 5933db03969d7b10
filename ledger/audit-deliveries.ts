/**
 * Every delivery the ledger holds as accepted, submitted or dead got that state in the
 * transaction of an entry of that state (ledger/deliveries.ts `recordDeliveryOutcomes`: `deliver`
 * with `state`, `dead-letter` with `state: dead`); nothing else writes these states. So each such
 * row must be named by an entry of its state, target (the actor's `target:<name>`) and version: a
 * batch entry's `versions`, or an entry of one act's license and version number. A row rewritten in
 * the database (a dead letter made `accepted`: the backlog and `status` then count the license
 * delivered; a pending row made `submitted`) has none, nor has one whose entry was cut off the
 * chain's end with the head set back. A dead row a `deliver` entry of state `rejected` names is
 * that entry's: migration 049 made earlier releases' rejections dead, with no entry of its own.
 *
 * What this does not see: a row reopened (a repair, a replay: pending again under an entry naming
 * the delivery, not the state) and rewritten to a state an earlier entry of it recorded; its
 * reasons or platform id rewritten. Following each delivery's last entry would hold every delivery
 * in memory.
 *
 * As for versions (audit-versions.ts): while verify walks the chain, `DeliveryTally` notes the
 * version ids each (target, state) is recorded for as ranges (audit-id-ranges.ts, at most a cap of
 * them: past it, another walk of the chain for the next window of ids); `unrecordedDeliveries`
 * then reads the rows in those states by their primary key (version id, target), a page at a time,
 * and before naming any reads the entries appended since the head (a delivery recorded meanwhile).
 */
import type { Knex } from 'knex';
import { versionRangeParts } from './audit-batch.js';
import { IdRanges } from './audit-id-ranges.js';
import { type EntryTally, noteEntriesSince } from './audit-since.js';
import type { AuditEntry, AuditProblem } from './audit-types.js';
import { UNRECORDED_NAMED } from './audit-versions.js';
import { chunk, type Db, toInt } from './db.js';
import { versionsNumbered } from './delivery-keys.js';
import { deliveryKey } from './rows.js';

/** The row states checked: each is written only with an entry of its own. */
const CHECKED_STATES = ['accepted', 'submitted', 'dead'] as const;
const CHECKED: ReadonlySet<string> = new Set(CHECKED_STATES);

/** A delivery whose state no entry of the chain records. */
export interface UnrecordedDelivery {
  key: string;
  state: string;
  versionId: number;
}

/**
 * The row state entry `e` records for its deliveries, their target, and its detail's `versions`
 * (a batch entry's list); undefined for other entries.
 */
function recordedState(e: AuditEntry): { target: string; state: string; versions: unknown } | undefined {
  if ((e.action !== 'deliver' && e.action !== 'dead-letter') || !e.actor.startsWith('target:'))
    return undefined;
  let detail: { state?: unknown; versions?: unknown };
  try {
    detail = JSON.parse(e.detail) as { state?: unknown; versions?: unknown };
  } catch {
    return undefined;
  }
  const { state, versions } = detail;
  const target = e.actor.slice('target:'.length);
  if (e.action === 'dead-letter') return state === 'dead' ? { target, state: 'dead', versions } : undefined;
  if (state === 'accepted' || state === 'submitted') return { target, state, versions };
  // Migration 049: a platform's rejection, recorded `rejected` by an earlier release, is dead now.
  if (state === 'rejected') return { target, state: 'dead', versions };
  return undefined;
}

const slot = (target: string, state: string) => `${target}\u0000${state}`;

/** The deliveries the entries of the chain record, by target and state, noted as verify walks it. */
export class DeliveryTally implements EntryTally {
  private readonly ranges = new Map<string, IdRanges>();
  /** Entries of one act (license and number, no version id), resolved by `settle`. */
  private named: { licenseId: string; version: number; slot: string }[] = [];

  constructor(readonly window: { floor?: number; cap?: number } = {}) {}

  get floor(): number {
    return this.window.floor ?? Number.MIN_SAFE_INTEGER;
  }

  /** The last id of the window: the lowest any (target, state) still notes up to. */
  get limit(): number {
    let limit = Number.MAX_SAFE_INTEGER;
    for (const r of this.ranges.values()) limit = Math.min(limit, r.limit);
    return limit;
  }

  note(e: AuditEntry): void {
    const recorded = recordedState(e);
    if (!recorded) return;
    const at = slot(recorded.target, recorded.state);
    if (e.licenseId !== null) {
      if (e.version !== null) this.named.push({ licenseId: e.licenseId, version: e.version, slot: at });
      return;
    }
    const { versions } = recorded;
    if (typeof versions !== 'string') return;
    try {
      const ids = this.idsOf(at);
      for (const [from, to] of versionRangeParts(versions)) ids.add(from, to);
    } catch {
      // A list in no form licbridge writes accounts for nothing.
    }
  }

  /** Resolves the entries of one act noted since the last call, by their (license, version) pairs. */
  async settle(db: Db): Promise<void> {
    if (this.named.length === 0) return;
    const named = this.named;
    this.named = [];
    const pairs = new Map<string, { licenseId: string; version: number; slots: string[] }>();
    for (const n of named) {
      const at = JSON.stringify([n.licenseId, n.version]);
      const pair = pairs.get(at);
      if (pair) pair.slots.push(n.slot);
      else pairs.set(at, { licenseId: n.licenseId, version: n.version, slots: [n.slot] });
    }
    for (const v of await versionsNumbered(db, 'verifyAuditDeliveriesNamed', [...pairs.values()])) {
      for (const s of pairs.get(JSON.stringify([v.licenseId, v.version]))?.slots ?? [])
        this.idsOf(s).add(v.versionId, v.versionId);
    }
  }

  has(versionId: number, target: string, state: string): boolean {
    return this.ranges.get(slot(target, state))?.has(versionId) ?? false;
  }

  private idsOf(at: string): IdRanges {
    let ids = this.ranges.get(at);
    if (!ids) {
      ids = new IdRanges(this.window.floor, this.window.cap);
      this.ranges.set(at, ids);
    }
    return ids;
  }
}

interface Candidate {
  versionId: number;
  target: string;
  state: string;
}

/**
 * The deliveries in a checked state that no entry noted in `tally`, or appended after `headSeq`
 * since, records: at most `UNRECORDED_NAMED`, by version id and target. Reads `pageSize` rows at a time.
 */
export async function unrecordedDeliveries(
  db: Db,
  tally: DeliveryTally,
  options: { headSeq: number; pageSize: number },
): Promise<UnrecordedDelivery[]> {
  const found: UnrecordedDelivery[] = [];
  let window = tally;
  for (;;) {
    await unrecordedInWindow(db, window, options, found);
    if (found.length >= UNRECORDED_NAMED || window.limit >= Number.MAX_SAFE_INTEGER) break;
    if (!(await anyPast(db, window.limit))) break;
    // The ranges reached their cap: the ids past the window are noted by another walk of the chain.
    window = new DeliveryTally({ ...tally.window, floor: window.limit + 1 });
    await noteEntriesSince(db, 'verifyAuditDeliveriesSince', window, 0, options.pageSize);
  }
  return found.slice(0, UNRECORDED_NAMED);
}

async function anyPast(db: Db, limit: number): Promise<boolean> {
  const row = await db.read('verifyAuditDeliveriesPast', (k) =>
    k('deliveries')
      .select('version_id')
      .where('version_id', '>', limit)
      .whereIn('state', CHECKED_STATES)
      .first(),
  );
  return row !== undefined;
}

/** Adds to `found` the window's unrecorded deliveries. */
async function unrecordedInWindow(
  db: Db,
  tally: DeliveryTally,
  options: { headSeq: number; pageSize: number },
  found: UnrecordedDelivery[],
): Promise<void> {
  let tailSeq = options.headSeq;
  let candidates: Candidate[] = [];
  const settle = async (): Promise<void> => {
    tailSeq = await noteEntriesSince(db, 'verifyAuditDeliveriesSince', tally, tailSeq, options.pageSize);
    const left = candidates.filter(
      (c) => c.versionId <= tally.limit && !tally.has(c.versionId, c.target, c.state),
    );
    candidates = [];
    if (left.length > 0) found.push(...(await named(db, left)));
  };
  // Where the next page starts: after a row read (a keyset on the primary key, version id and
  // target), or at a version id (the first, and the next one past an id range read whole).
  let after: [number, string] | undefined;
  let from = tally.floor;
  for (;;) {
    const limit = tally.limit;
    // Each page within `pageSize` ids of where it starts: without statistics of the table (a ledger
    // just restored) PostgreSQL read every row past the start through a bitmap and sorted them, for
    // each page. Every state: with the states in the statement SQLite took the (state, created_at)
    // index and sorted all rows of those states for each page; pending and discarded rows are few
    // beside them, and left here.
    const upper = Math.min(limit, (after?.[0] ?? from) + options.pageSize);
    const page: { version_id: unknown; target: string; state: string }[] = await db.read(
      'verifyAuditDeliveries',
      (k) => {
        const q = k('deliveries').select('version_id', 'target', 'state');
        if (after) q.whereRaw('(version_id, target) > (?, ?)', after);
        else q.where('version_id', '>=', from);
        return q
          .andWhere('version_id', '<=', upper)
          .orderBy([
            { column: 'version_id', order: 'asc' },
            { column: 'target', order: 'asc' },
          ])
          .limit(options.pageSize);
      },
    );
    for (const r of page) {
      const id = toInt(r.version_id);
      after = [id, r.target];
      if (CHECKED.has(r.state) && !tally.has(id, r.target, r.state))
        candidates.push({ versionId: id, target: r.target, state: r.state });
    }
    if (candidates.length + found.length >= UNRECORDED_NAMED) await settle();
    if (found.length >= UNRECORDED_NAMED) break;
    if (page.length === options.pageSize) continue;
    // The ids up to `upper` are read: the next page starts at the next id there is (one index look-up).
    if (upper >= limit) break;
    const next: { id?: unknown } | undefined = await db.read('verifyAuditDeliveriesNext', (k) =>
      k('deliveries')
        .min({ id: 'version_id' })
        .where('version_id', '>', upper)
        .andWhere('version_id', '<=', limit)
        .first(),
    );
    if (next?.id === null || next?.id === undefined) break;
    from = toInt(next.id);
    after = undefined;
  }
  if (candidates.length > 0) await settle();
}

/** The candidates named by their delivery key, read with their license and version number. */
async function named(db: Db, left: readonly Candidate[]): Promise<UnrecordedDelivery[]> {
  const versions = await db.read('verifyAuditDeliveriesVersions', async (k: Knex) => {
    const out = new Map<number, { licenseId: string; version: number }>();
    for (const part of chunk([...new Set(left.map((c) => c.versionId))], db.maxParams - 1)) {
      const rows: { version_id: unknown; license_id: string; version: unknown }[] = await k(
        'license_versions',
      )
        .select('version_id', 'license_id', 'version')
        .whereIn('version_id', part);
      for (const r of rows)
        out.set(toInt(r.version_id), { licenseId: r.license_id, version: toInt(r.version) });
    }
    return out;
  });
  return left.map((c) => {
    const v = versions.get(c.versionId);
    return {
      key: v ? deliveryKey(v.licenseId, v.version, c.target) : `(no version):${c.target}`,
      state: c.state,
      versionId: c.versionId,
    };
  });
}

/** The problem verify reports for deliveries no entry records; undefined when there are none. */
export function unrecordedDeliveriesProblem(
  unrecorded: readonly UnrecordedDelivery[],
  headSeq: number,
): AuditProblem | undefined {
  if (unrecorded.length === 0) return undefined;
  const shown = unrecorded
    .slice(0, 10)
    .map((d) => `delivery ${d.key} (${d.state}, version id ${d.versionId})`);
  const more = unrecorded.length > shown.length ? `, and ${unrecorded.length - shown.length} more` : '';
  const count =
    unrecorded.length >= UNRECORDED_NAMED
      ? `${UNRECORDED_NAMED} or more delivery states`
      : `${unrecorded.length} delivery state(s)`;
  return {
    seq: headSeq + 1,
    kind: 'unrecorded',
    message: `the ledger holds ${count} that no entry of the chain records: ${shown.join(', ')}${more}; rewritten in the database, or their entries deleted and the chain cut or rewritten`,
  };
}
