/**
 * What `status` says of a pipeline's deliveries: counts per target from the ledger's delivery
 * counts, and the states that need a person — dead letters (also of a pipeline no longer in the
 * config), deliveries open longer than their target's `pendingAlertMs`, and submitted ones whose
 * status checks fail.
 */
import { deliveryTarget } from '../../config/delivery-targets.js';
import type { Config } from '../../config/types.js';
import { scrubSecrets } from '../../core/scrub.js';
import { terminalLine } from '../../core/terminal-text.js';
import { zonedTime } from '../../core/zoned-time.js';
import type { Ledger } from '../../ledger/ledger.js';
import type { DeliveryCount } from '../../ledger/status-queries.js';
import { type Attention, formatDuration } from './attention.js';
import type { TargetDeliveryStatus } from './status-types.js';

/**
 * Per target of the pipeline (its configured ones first, at 0), delivered, pending (of them, in
 * review), dead and discarded.
 */
export function targetDeliveries(
  deliveries: readonly DeliveryCount[],
  pipeline: string,
  configured: readonly string[],
): Record<string, TargetDeliveryStatus> {
  const targets: Record<string, TargetDeliveryStatus> = {};
  for (const t of configured) targets[t] = { delivered: 0, pending: 0, dead: 0, discarded: 0 };
  for (const d of deliveries) {
    if (d.pipeline !== pipeline) continue;
    const t = targets[d.target] ?? { delivered: 0, pending: 0, dead: 0, discarded: 0 };
    targets[d.target] = t;
    if (d.state === 'accepted') t.delivered += d.count;
    else if (d.state === 'dead' || d.state === 'rejected') t.dead += d.count;
    else if (d.state === 'discarded') t.discarded += d.count;
    else {
      t.pending += d.count;
      // Awaiting a verdict is no delivery under way: said apart, as `licbridge run` says it.
      if (d.state === 'submitted') t.inReview = (t.inReview ?? 0) + d.count;
    }
  }
  return targets;
}

/**
 * A line per target holding dead letters of the pipeline, and per target no longer in the config
 * (renamed, removed) still holding open deliveries of it. `dlq replay` leaves the dead letters of
 * such a target dead, and no worker or sweep takes its open ones (no queue is made for it), so
 * their lines say to put the target back rather than to replay. So does a dead letter of a target
 * still in the config that the pipeline no longer delivers to (`delivers`, its `targets`):
 * replayed, it would go where the pipeline no longer sends its licenses, and `dlq replay` leaves it.
 * An open delivery there waits as one of a target gone: the pipeline's sweeps and runs look only
 * at its `targets`, and `overdueAttention` too, so without its line nothing said it waited.
 */
export function deadLetterAttention(
  config: Readonly<Pick<Config, 'targets'>>,
  pipeline: string,
  targets: Readonly<Record<string, TargetDeliveryStatus>>,
  delivers: readonly string[],
): Attention[] {
  const notes: Attention[] = [];
  for (const [t, s] of Object.entries(targets)) {
    const gone = deliveryTarget(config, t) === undefined;
    if (s.dead > 0) {
      notes.push({
        kind: 'dead-letters',
        message: gone
          ? `pipeline ${pipeline}: ${s.dead} dead letter(s) for target ${t}, which is no longer in the config; put the target back and replay them, or \`licbridge dlq discard\` them`
          : !delivers.includes(t)
            ? `pipeline ${pipeline}: ${s.dead} dead letter(s) for target ${t}, which the pipeline no longer delivers to; put the target back in its \`targets\` and replay them, or \`licbridge dlq discard\` them`
            : `pipeline ${pipeline}: ${s.dead} dead letter(s) for target ${t}; fix the cause, then replay them`,
      });
    }
    if (gone && s.pending > 0) {
      notes.push({
        kind: 'delivery-unqueued',
        message: `pipeline ${pipeline}: ${s.pending} delivery(ies) to target ${t}, which is no longer in the config, still open (pending or submitted); no worker delivers them: put the target back in the config, then \`licbridge run ${pipeline}\``,
      });
    } else if (!delivers.includes(t) && s.pending > 0) {
      notes.push({
        kind: 'delivery-unqueued',
        message: `pipeline ${pipeline}: ${s.pending} delivery(ies) to target ${t}, which the pipeline no longer delivers to, still open (pending or submitted); no run or sweep of the pipeline takes them: put the target back in its \`targets\`, then \`licbridge run ${pipeline}\``,
      });
    }
  }
  return notes;
}

/**
 * A line per target with deliveries of the pipeline open longer than the target's `pendingAlertMs`.
 * `tz` is the zone the oldest one's time is printed in (`lifecycle.timeZone`).
 */
export async function overdueAttention(
  config: Readonly<Pick<Config, 'targets'>>,
  ledger: Pick<Ledger, 'overdueDeliveries'>,
  pipeline: string,
  targets: readonly string[],
  now: Date,
  tz: string,
): Promise<Attention[]> {
  const notes: Attention[] = [];
  for (const t of targets) {
    const target = deliveryTarget(config, t);
    if (!target) continue;
    const alertMs = target.pendingAlertMs;
    for (const o of await ledger.overdueDeliveries(t, new Date(now.getTime() - alertMs))) {
      if (o.pipeline !== pipeline) continue;
      notes.push({
        kind: 'delivery-overdue',
        message: `pipeline ${pipeline}: ${o.count} delivery(ies) to ${t} still open after ${formatDuration(alertMs)} (oldest since ${zonedTime(o.oldest.toISOString(), tz)}); keep a \`licbridge worker\` or \`licbridge run\` going and check the platform`,
      });
    }
  }
  return notes;
}

/** The longest last error a status line quotes; the whole one is in the ledger. */
const QUOTED_ERROR_CHARS = 200;

/**
 * A line per target with submitted deliveries of the pipeline whose last status check failed
 * (ledger/delivery-checks.ts): they stay submitted, and the deliver job's last attempt makes them
 * dead letters, so an operator learns of it while the platform can still be asked to answer.
 * The reason is the stored one (personal values masked when it was written), secrets scrubbed; its
 * time on the clock of `tz` (`lifecycle.timeZone`).
 */
export async function failingChecksAttention(
  ledger: Pick<Ledger, 'failingStatusChecks'>,
  pipeline: string,
  targets: readonly string[],
  tz: string,
): Promise<Attention[]> {
  const notes: Attention[] = [];
  for (const t of targets) {
    for (const f of await ledger.failingStatusChecks(t)) {
      if (f.pipeline !== pipeline) continue;
      const line = terminalLine(scrubSecrets(f.lastError));
      const quoted = line.length > QUOTED_ERROR_CHARS ? `${line.slice(0, QUOTED_ERROR_CHARS)}…` : line;
      notes.push({
        kind: 'delivery-checks-failing',
        message: `pipeline ${pipeline}: ${f.count} submitted delivery(ies) to ${t} whose status check fails (last at ${zonedTime(f.latest.toISOString(), tz)}: ${quoted}); they stay submitted and become dead letters at their job's last attempt; check the platform's status answers`,
      });
    }
  }
  return notes;
}

/**
 * Deliveries of a pipeline that has left the config are still in the ledger: replay leaves its
 * dead letters dead, and no worker or sweep takes its open ones, so a person has to put the
 * pipeline back or discard them. A line per such pipeline and target, for dead letters and for
 * open deliveries.
 */
export function removedPipelineAttention(
  config: Readonly<Config>,
  deliveries: readonly DeliveryCount[],
): Attention[] {
  const dead = new Map<string, number>();
  const open = new Map<string, number>();
  for (const d of deliveries) {
    if (Object.hasOwn(config.pipelines, d.pipeline)) continue;
    const into =
      d.state === 'dead' || d.state === 'rejected'
        ? dead
        : d.state === 'pending' || d.state === 'submitted'
          ? open
          : undefined;
    if (!into) continue;
    const key = `${d.pipeline}\u0000${d.target}`;
    into.set(key, (into.get(key) ?? 0) + d.count);
  }
  const notes: Attention[] = [];
  for (const [key, n] of dead) {
    const [pipeline, target] = key.split('\u0000');
    notes.push({
      kind: 'dead-letters',
      message: `pipeline ${pipeline} (no longer in the config): ${n} dead letter(s) for target ${target}; put the pipeline back and replay them, or \`licbridge dlq discard\` them`,
    });
  }
  for (const [key, n] of open) {
    const [pipeline, target] = key.split('\u0000');
    notes.push({
      kind: 'delivery-unqueued',
      message: `pipeline ${pipeline} (no longer in the config): ${n} delivery(ies) to target ${target} still open (pending or submitted); no worker delivers them: put the pipeline back in the config, then \`licbridge run ${pipeline}\``,
    });
  }
  return notes;
}
