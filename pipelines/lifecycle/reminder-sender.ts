/**
 * Sends expiry reminder rows through their notify targets (pipelines/lifecycle/reminders.ts
 * decides which) and records each answer as it comes: `sent`, `skipped` for what cannot be sent,
 * or a failed attempt that leaves the row `pending` for the next tick. The contact goes into the
 * request (reminder-message.ts builds it) and nowhere else; a gateway's error text is scrubbed of
 * it before it is stored (reminder-attempts.ts).
 */
import { randomUUID } from 'node:crypto';
import type { NotifyTargetConfig } from '../../adapters/platforms/notify/config.js';
import { NotifyTarget, reminderIdempotencyKey } from '../../adapters/platforms/notify/notify-target.js';
import { sharesCredentials } from '../../adapters/platforms/shared/auth/create-auth.js';
import { crashPoint } from '../../core/crash-point.js';
import type { LicbridgeError } from '../../core/errors.js';
import {
  type ReminderOutcome,
  type ReminderStore,
  SKIPPED_STORED_TEXT,
  type StoredContact,
  type StoredReminder,
  type VersionFacts,
} from '../../ledger/reminders.js';
import { pauseUnlessStopped } from '../run-stop.js';
import type { Runtime } from '../runtime.js';
import { sendAttempts } from './reminder-attempts.js';
import { daysBetween } from './reminder-due.js';
import { RECORD_MARGIN_MS, sendLeaseMs } from './reminder-lease.js';
import { reminderMessage, unreadableText } from './reminder-message.js';
import { noLongerDue } from './reminder-recheck.js';
import { TargetWaits } from './reminder-waits.js';
import type { ReminderRunSummary } from './reminders.js';

/** Reminders in a row that failed at a target before the tick leaves the rest of its reminders pending. */
const DOWN_AFTER = 5;
/** How often a tick looks again at a reminder another tick holds. */
const HELD_POLL_MS = 1_000;

/** Sends reminder rows through their notify targets and records each answer as it comes. */
export class ReminderSender {
  private readonly targets = new Map<string, NotifyTarget>();
  /** Per target, reminders in a row whose every attempt failed: a gateway that is down. */
  private readonly failedInARow = new Map<string, number>();
  /** Per target, the wait its gateway or credential endpoint asked for (Retry-After): no send sooner. */
  private readonly waits: TargetWaits;
  /** This tick's name on the reminders it claims (to send them, or to drop them: reminders.ts). */
  readonly owner = `tick:${randomUUID()}`;

  /**
   * @param attemptDay The day a reminder sent now goes out on, and a failed attempt made now counts
   * for (migration 039): the tick's day, or the clock's once a tick of the real day has run past
   * midnight (reminders.ts).
   * @param stop Aborted by SIGTERM or SIGINT (or a worker's shutdown): no further reminder is
   * claimed nor attempt made, a send in flight finishes and its answer is recorded, a claim not
   * yet sent under is let go, and every wait (Retry-After, backoff, another tick's claim) ends.
   * @param storesDay A failed attempt stores its day; false for a rehearsal (reminders.ts), whose
   * day is no real one: stored, that day's real tick would take the reminder as tried already.
   */
  constructor(
    private readonly rt: Runtime,
    private readonly summary: ReminderRunSummary,
    private readonly attemptDay: () => string = () => summary.today,
    private readonly stop?: AbortSignal,
    private readonly storesDay = true,
  ) {
    this.waits = new TargetWaits(rt.logger);
  }

  /** The day a failed attempt made now counts for (migration 039), or none for a rehearsal. */
  private triedDay(): string | undefined {
    return this.storesDay ? this.attemptDay() : undefined;
  }

  /** Rows this tick had in hand and left pending, untried, because it was asked to stop. */
  left = 0;

  outcome(
    r: StoredReminder,
    o: { state: ReminderOutcome['state']; reason?: string; messageId?: string },
  ): ReminderOutcome {
    return {
      key: r.key,
      actor: `target:${r.target}`,
      digest: reminderDigest(r),
      state: o.state,
      ...(o.reason === undefined ? {} : { reason: o.reason }),
      ...(o.messageId === undefined ? {} : { messageId: o.messageId }),
      // What the message said: a re-sent reminder carries the days left on the day it went out.
      ...(o.state === 'sent' ? { daysLeft: r.daysLeft } : {}),
    };
  }

  async send(rows: readonly StoredReminder[]): Promise<void> {
    if (rows.length === 0) return;
    const ledger = await this.rt.ledger();
    const store = ledger.reminders;
    // The facts of the version each row was written for, which no run changes. Its holder's contact
    // is read once the row is claimed (below), not here.
    const facts = await store.versionFacts(rows.map((r) => ({ licenseId: r.licenseId, version: r.version })));
    const byTarget = new Map<string, StoredReminder[]>();
    for (const r of rows) {
      const list = byTarget.get(r.target);
      if (list) list.push(r);
      else byTarget.set(r.target, [r]);
    }
    for (const [name, list] of byTarget) {
      if (this.stop?.aborted) {
        this.left += list.length;
        continue;
      }
      const config = this.rt.config.targets[name];
      if (config?.kind !== 'notify') {
        // The loader refuses this config; a target renamed since the row was written lands here.
        // A row another tick's outcome closed since this one read it is that tick's.
        const counted = await store.attempt(
          list.map((r) => r.key),
          `target ${name} is not a notify target`,
          this.owner,
          this.triedDay(),
        );
        this.summary.failed += counted;
        this.byOtherTick(list.length - counted);
        continue;
      }
      const target = this.target(name, config);
      const lease = sendLeaseMs(config);
      const queue = [...list];
      /** Rows another tick holds: sent, or waited for, once this tick's own are done. */
      const held = new Map<string, { row: StoredReminder; until: number }>();
      /** Set when a worker threw: the others take no further row, and the error is the tick's. */
      let failure: { error: unknown } | undefined;
      const work = async (): Promise<void> => {
        for (let r = queue.shift(); r !== undefined && !failure; r = queue.shift()) {
          const row = r;
          // Asked to stop: no further reminder is claimed; what is left stays pending, unclaimed,
          // for the next tick to send at once.
          if (this.stop?.aborted) {
            this.left += 1;
            continue;
          }
          if ((this.failedInARow.get(name) ?? 0) >= DOWN_AFTER) {
            // The gateway is down: the rest stay pending for the next tick instead of each
            // waiting out its own timeouts, which would hold the tick for hours.
            this.summary.failed += 1;
            continue;
          }
          // The gateway asked for a wait (Retry-After): waited before the claim, so the claim's
          // lease still covers the whole send. One longer than a send's lease leaves the rest
          // pending for the next tick, unasked, as a gateway that is down does.
          const wait = this.waits.left(name);
          if (wait > lease) {
            this.waits.leftForLater(name, wait);
            this.summary.failed += 1;
            continue;
          }
          if (wait > 0) await pauseUnlessStopped(wait, this.stop);
          if (this.stop?.aborted) {
            this.left += 1;
            continue;
          }
          // Another tick running on the same day read the same pending row: the one that claims
          // it sends it (ledger/reminder-claims.ts). A row already closed is not claimed either.
          // The attempts read with the row: one the other tick counted since (its send failed) is
          // this tick's try too, so a gateway that did not answer is not asked again at once.
          /** Claimed, and its outcome not yet recorded: the claim is this tick's to let go. */
          let open = false;
          try {
            // The lease runs from before the claim: the attempts of the send must end inside it.
            const deadline = Date.now() + lease - RECORD_MARGIN_MS;
            const claim = await store.claim([row.key], this.owner, lease, new Map([[row.key, row.attempts]]));
            if (!claim.claimed.includes(row.key)) {
              // The lease's end on this host's clock, from the time the ledger's clock gave it
              // left: its end as the ledger wrote it is off by however far this host's clock is.
              const left = claim.tried.includes(row.key) ? undefined : claim.held.get(row.key);
              if (left !== undefined) held.set(row.key, { row, until: Date.now() + left });
              // Tried by another tick since this one read it, or closed by one: that tick's outcome.
              // Counted failed here, a message the gateway took from it read as this tick's failure.
              else this.byOtherTick(1);
              continue;
            }
            open = true;
            // Stopped while claiming: nothing was sent under the claim, which `finally` lets go.
            if (this.stop?.aborted) {
              this.left += 1;
              continue;
            }
            // Read again once claimed: a run may have revoked, suspended, re-dated or renewed the
            // license since the tick read it (a tick sending thousands of reminders takes minutes to hours),
            // and a holder is not told that a license no longer in force runs out.
            // The day it goes out: a tick of the real day may send past midnight (reminders.ts).
            const day = this.attemptDay();
            const gone = await noLongerDue(store, this.rt.config, row, day);
            // Stopped during that read: nothing sent yet under the claim, which `finally` lets go.
            if (!gone && this.stop?.aborted) {
              this.left += 1;
              continue;
            }
            if (gone) {
              // Counted as moved, as step 1 counts its drops (reminders.ts): a row another tick's
              // `sent` closed since the claim (recorded whoever holds the row) is that tick's.
              const moved = await store.record(
                [this.outcome(row, { state: 'dropped', reason: gone })],
                this.owner,
              );
              this.summary.dropped += moved;
              this.byOtherTick(1 - moved);
            } else {
              // The days left on the day it goes out, as a reminder re-sent on a later day says them.
              const now = { ...row, daysLeft: daysBetween(day, row.validTo) };
              // The contact as the ledger holds it now: a run may have written the holder's new
              // number (or none) since the tick read its rows, minutes to hours ago; read with
              // them, the reminder went to a number the holder may have given up.
              const contacts = await store.contacts([row.licenseId]);
              await this.sendClaimed(store, target, config, now, contacts, facts, deadline);
            }
            open = false;
          } catch (e) {
            // A claim refused by the ledger stops the tick as a failed send does: the other
            // workers take no further row, and the tick fails once they stopped, not while one of
            // them is still sending (its retry would find that send's claim held).
            failure ??= { error: e };
          } finally {
            // What threw between the claim and the outcome (a ledger write that failed) left the
            // row pending and leased: let it go, so that the next tick (a retry of this one) sends
            // it at once instead of waiting for the lease to run out. A recorded outcome ended it;
            // a lease another tick took since is not this tick's to end (the release names the owner).
            if (open) await store.release([row.key], this.owner).catch(() => undefined);
          }
        }
      };
      const workers = async (): Promise<void> => {
        await Promise.all(Array.from({ length: Math.max(1, config.concurrency) }, work));
        if (failure) throw failure.error;
      };
      await workers();
      // What another tick holds is waited for: it is recorded (the row is no longer pending and
      // cannot be claimed), or its lease runs out because that tick died, and this one sends it.
      // Counted failed by that tick meanwhile, it is left to the next tick (`tried` above). Asked
      // to stop, this tick waits for none: they are the other ticks' to send (`byOtherTick`).
      while (held.size > 0 && !this.stop?.aborted) {
        const earliest = Math.min(...[...held.values()].map((h) => h.until));
        await pauseUnlessStopped(Math.min(HELD_POLL_MS, Math.max(10, earliest - Date.now() + 10)), this.stop);
        if (this.stop?.aborted) break;
        queue.push(...[...held.values()].map((h) => h.row));
        held.clear();
        await workers();
      }
      this.byOtherTick(held.size);
    }
  }

  /** Sends a reminder this tick claimed and records the answer: `sent`, `skipped` or a failed attempt. */
  private async sendClaimed(
    store: ReminderStore,
    target: NotifyTarget,
    config: NotifyTargetConfig,
    row: StoredReminder,
    contacts: ReadonlyMap<string, StoredContact>,
    facts: ReadonlyMap<string, VersionFacts>,
    deadline: number,
  ): Promise<void> {
    const fact = facts.get(`${row.licenseId}:${row.version}`);
    const contact = contacts.get(row.licenseId);
    // Its number and names, or its recipient, in a text that does not read: skipped, the others go
    // on. Due again at the next tick (reminder-due.ts), it is sent once the text reads again.
    const unreadable = unreadableText(row, fact, contact);
    if (unreadable !== undefined) {
      await this.skip(store, row, SKIPPED_STORED_TEXT);
      this.rt.logger.warn(
        { licenseId: row.licenseId, version: row.version, code: 'LB_STORED_TEXT' },
        unreadable,
      );
      return;
    }
    const built = reminderMessage(row, config.channel, contact, fact, () => this.templateFor(row.pipeline));
    if ('skipped' in built) {
      await this.skip(store, row, built.skipped);
      return;
    }
    const answer = await sendAttempts(target, config, built.message, deadline, this.waits, this.stop);
    this.failedInARow.set(
      row.target,
      answer.state === 'failed' ? (this.failedInARow.get(row.target) ?? 0) + 1 : 0,
    );
    if (answer.state === 'sent') {
      // A crash here leaves a message the gateway took and the ledger does not know: the
      // next tick sends it again under the same key, and the gateway replays its answer.
      crashPoint('reminder-answered');
      // Recorded even when this tick's claim ran out during the send and another tick holds the
      // row now (that tick's lease stays its own: ledger/reminders.ts `record`).
      await store.record([this.outcome(row, { state: 'sent', messageId: answer.messageId })], this.owner);
      this.summary.sent += 1;
      if (answer.replayed) this.summary.replayed += 1;
    } else if (answer.state === 'refused') {
      await this.skip(store, row, answer.reason);
    } else if (answer.unsent) {
      // Nothing reached the gateway (its credentials could not be made): no attempt, and no day
      // stored, so the next tick sends it. Counted as tried, it waited for the next day though the
      // gateway had seen nothing of it. The claim is let go for that tick. Counted as left pending:
      // one another tick's outcome closed since the claim (sent, dropped or skipped) is that tick's.
      const left = await store.release([row.key], this.owner);
      this.summary.failed += left;
      this.byOtherTick(1 - left);
      this.unsentSaid(row.target, answer.unsent, left > 0);
    } else {
      // Its day: no other tick of that day sends it again (migration 039). Counted as the row's
      // attempt: one another tick's outcome closed since the claim is that tick's, not pending: its
      // `sent` (recorded whoever holds the row), or, once this tick's claim ran out and that tick
      // took the row, its skip or drop.
      const counted = await store.attempt([row.key], answer.error, this.owner, this.triedDay());
      this.summary.failed += counted;
      this.byOtherTick(1 - counted);
    }
  }

  /**
   * Records `row` skipped, counted as moved: one not moved is another tick's to count. Its `sent`
   * closed the row since the claim (recorded whoever holds the row: the reminder reached its
   * holder), or, once this tick's claim ran out, it took the row: it holds it still or closed it
   * (skipped, dropped). ledger/reminders.ts `record` moves a skip only on a pending row this tick
   * holds, or nobody does.
   */
  private async skip(store: ReminderStore, row: StoredReminder, reason: string): Promise<void> {
    const moved = await store.record([this.outcome(row, { state: 'skipped', reason })], this.owner);
    this.summary.skipped += moved;
    this.byOtherTick(1 - moved);
  }

  /** Counts reminders another tick claimed first: their outcome is that tick's (ReminderRunSummary). */
  private byOtherTick(n: number): void {
    this.summary.byOtherTick += n;
  }

  /**
   * Says that a reminder of `target` was not sent, its credentials not made: the target, the
   * origin of the endpoint that failed (the token or secret endpoint's, in the error's context),
   * and the error, which names no secret (the logger masks its cause). `left`: the reminder stays
   * pending; not, when another tick closed it meanwhile (the release tells only that it is no longer
   * pending: sent, dropped or skipped).
   */
  private unsentSaid(target: string, error: LicbridgeError, left: boolean): void {
    const then = left ? 'it stays pending, untried, for the next tick' : 'another tick has closed it since';
    this.rt.logger.warn(
      { target, origin: error.context.origin, code: error.code, err: error },
      `lifecycle: target ${target}: a reminder was not sent, its credentials could not be made; ${then}`,
    );
  }

  private templateFor(pipeline: string): string | undefined {
    const type = this.rt.config.lifecycle?.reminders?.[this.rt.pipelineConfig(pipeline).licenseType];
    return type?.template;
  }

  private target(name: string, config: NotifyTargetConfig): NotifyTarget {
    let t = this.targets.get(name);
    if (!t) {
      // The token (or refreshed secret) the deployment's workers hold for the same client: one
      // fetched here would retire theirs where the platform keeps one (token-share.ts).
      t = new NotifyTarget(
        name,
        config,
        sharesCredentials(config.auth) ? { tokenShare: this.rt.tokenShare(), logger: this.rt.logger } : {},
      );
      this.targets.set(name, t);
    }
    return t;
  }

  async close(): Promise<void> {
    for (const t of this.targets.values()) await t.close();
  }
}

/** The audit digest of a reminder: its idempotency key (SHA-256 of its key's target and reminder key). */
function reminderDigest(r: StoredReminder): string {
  return reminderIdempotencyKey(r.keyTarget, r.key);
}
