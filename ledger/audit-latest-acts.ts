/**
 * Acts other than versions and reads whose rows commit with their entry, so the chain the head
 * names must record the newest of each: entries cut off the chain's end with the head set back
 * leave all links fitting, and the newest version recorded when the cut entries were signatures,
 * license files, key registrations, objections, dead-letter actions or reminders. For each, the newest row
 * (by a key its table keeps an index on, so one index look-up each, however large the ledger):
 * - `signatures`: the highest version id (its primary key's first column), with its seal: a `sign`
 *   entry of actor `signer:<seal>` naming that version id (its own `versionId`, or a batch's ranges);
 * - `license_files`: the highest version id: an `issue-file` entry of actor `seal:<seal>` naming it;
 * - `signing_keys` (a few rows): the last registered: a `register-key` entry of actor
 *   `signer:<seal>` with the key's fingerprint as `digest` and its certificate serial;
 * - `objections`: the highest objection id: its `objection` entry of step `open`; and the last
 *   resolved (a few rows): its `objection` entry of the step it was resolved with;
 * - `dead_letter_actions`: the highest id: its `replay` or `dead-letter` entry naming the
 *   delivery key and the action;
 * - `reminders`: the one in a final state (sent, skipped, dropped) written last: its `remind` entry
 *   of that license, version, threshold and state (ledger/reminders.ts `record`).
 * Deliveries are checked row by row (audit-deliveries.ts).
 * License files and seal keys recorded before their acts had entries have none: such a row, older
 * than an entry of the chain, is not taken for a cut (a cut leaves no entry after the act's own).
 * Read before the head, as the runs' reads are (audit-acts.ts): a row committed in between has its
 * entry past the head only if it is newer than the one read.
 */
import { rangesHold, versionRangeParts } from './audit-batch.js';
import type { AuditEntry } from './audit-types.js';
import { type Db, toDate, toInt } from './db.js';

export interface LatestAct {
  /** What it is, by ids only: `signature (version id 12, seal S1)`. */
  what: string;
  /** Whether entry `e` records it. */
  recordedBy(e: AuditEntry): boolean;
  /** For rows that may predate their act's entries: the row's time, in ms. */
  legacyBefore?: number;
}

function detailOf(e: AuditEntry): Record<string, unknown> | undefined {
  try {
    const d: unknown = JSON.parse(e.detail);
    return d !== null && typeof d === 'object' ? (d as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `e` (of `action` by `actor`) names version id `id`: its own `versionId`, or a batch's ranges. */
function namesVersion(e: AuditEntry, action: string, actor: string, id: number): boolean {
  if (e.action !== action || e.actor !== actor) return false;
  const d = detailOf(e);
  if (d === undefined) return false;
  if (e.licenseId !== null) return d.versionId === id;
  try {
    return typeof d.versions === 'string' && rangesHold(versionRangeParts(d.versions), id);
  } catch {
    return false;
  }
}

/** The newest row of each kind above, as acts the chain must record. */
export async function latestActs(db: Db): Promise<LatestAct[]> {
  return db.read('verifyAuditLatestActs', async (k) => {
    const out: LatestAct[] = [];
    const sig: { version_id: unknown; seal_id: string } | undefined = await k('signatures')
      .select('version_id', 'seal_id')
      .orderBy([
        { column: 'version_id', order: 'desc' },
        { column: 'seal_id', order: 'desc' },
      ])
      .first();
    if (sig) {
      const id = toInt(sig.version_id);
      out.push({
        what: `signature (version id ${id}, seal ${sig.seal_id})`,
        recordedBy: (e) => namesVersion(e, 'sign', `signer:${sig.seal_id}`, id),
      });
    }
    const file: { version_id: unknown; seal: string; created_at: unknown } | undefined = await k(
      'license_files',
    )
      .select('version_id', 'seal', 'created_at')
      .orderBy('version_id', 'desc')
      .first();
    if (file) {
      const id = toInt(file.version_id);
      out.push({
        what: `license file (version id ${id})`,
        recordedBy: (e) => namesVersion(e, 'issue-file', `seal:${file.seal}`, id),
        legacyBefore: toDate(file.created_at).getTime(),
      });
    }
    const key:
      | { seal_id: string; key_id: string; certificate_serial: string | null; registered_at: unknown }
      | undefined = await k('signing_keys')
      .select('seal_id', 'key_id', 'certificate_serial', 'registered_at')
      .orderBy([
        { column: 'registered_at', order: 'desc' },
        { column: 'key_id', order: 'desc' },
      ])
      .first();
    if (key) {
      out.push({
        what: `seal key registration (key ${key.key_id}, seal ${key.seal_id})`,
        recordedBy: (e) =>
          e.action === 'register-key' &&
          e.actor === `signer:${key.seal_id}` &&
          e.digest === key.key_id &&
          (detailOf(e)?.certificateSerial ?? null) === key.certificate_serial,
        legacyBefore: toDate(key.registered_at).getTime(),
      });
    }
    const objection = (id: number, step: string): LatestAct => ({
      what: `objection ${id} (${step})`,
      recordedBy: (e) => {
        if (e.action !== 'objection') return false;
        const d = detailOf(e);
        return d?.objection === id && d.step === step;
      },
    });
    const opened: { objection_id: unknown } | undefined = await k('objections')
      .select('objection_id')
      .orderBy('objection_id', 'desc')
      .first();
    if (opened) out.push(objection(toInt(opened.objection_id), 'open'));
    const resolved: { objection_id: unknown; state: string } | undefined = await k('objections')
      .select('objection_id', 'state')
      .whereNot('state', 'open')
      .whereNotNull('resolved_at')
      .orderBy([
        { column: 'resolved_at', order: 'desc' },
        { column: 'objection_id', order: 'desc' },
      ])
      .first();
    if (resolved) out.push(objection(toInt(resolved.objection_id), resolved.state));
    const dead: { delivery_key: string; action: string } | undefined = await k('dead_letter_actions')
      .select('delivery_key', 'action')
      .orderBy('id', 'desc')
      .first();
    if (dead) {
      const action = dead.action === 'replay' ? 'replay' : 'dead-letter';
      out.push({
        what: `dead letter ${dead.action} (delivery ${dead.delivery_key})`,
        recordedBy: (e) => {
          if (e.action !== action) return false;
          const d = detailOf(e);
          return d?.deliveryKey === dead.delivery_key && d.action === dead.action;
        },
      });
    }
    // Among final states only: a pending row is written, reopened and counted without an entry.
    // No index holds `updated_at`: the rows of these states are read through the state index and
    // the newest kept (no sort of them all): one a license and threshold, far fewer than versions.
    const reminder:
      | { reminder_key: string; license_id: string; version: unknown; threshold: unknown; state: string }
      | undefined = await k('reminders')
      .select('reminder_key', 'license_id', 'version', 'threshold', 'state')
      .whereIn('state', ['sent', 'skipped', 'dropped'])
      .orderBy([
        { column: 'updated_at', order: 'desc' },
        { column: 'reminder_key', order: 'desc' },
      ])
      .first();
    if (reminder) {
      const version = toInt(reminder.version);
      const threshold = toInt(reminder.threshold);
      out.push({
        what: `reminder ${reminder.reminder_key} (${reminder.state})`,
        recordedBy: (e) => {
          if (e.action !== 'remind' || e.licenseId !== reminder.license_id || e.version !== version)
            return false;
          const d = detailOf(e);
          return d?.threshold === threshold && d.state === reminder.state;
        },
      });
    }
    return out;
  });
}

/** The acts of `acts` no entry records, as verify walks the chain: noted entry by entry. */
export class LatestActsTally {
  private readonly left: Set<LatestAct>;
  /** The latest time of an entry walked, in ms. */
  private lastAt = Number.NEGATIVE_INFINITY;

  constructor(acts: readonly LatestAct[]) {
    this.left = new Set(acts);
  }

  note(e: AuditEntry): void {
    const at = Date.parse(e.at);
    if (at > this.lastAt) this.lastAt = at;
    if (this.left.size === 0) return;
    for (const act of this.left) if (act.recordedBy(e)) this.left.delete(act);
  }

  /** The acts no entry walked records, but for a row older than an entry walked (see above). */
  unrecorded(): LatestAct[] {
    return [...this.left].filter((act) => act.legacyBefore === undefined || this.lastAt <= act.legacyBefore);
  }
}
