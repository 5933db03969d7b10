/**
 * Dead letters: listing them, showing one, discarding them, and replaying them.
 *
 * Replaying: the ledger moves them back to `pending` (and logs who did what), then deliver jobs
 * are enqueued for them, grouped by pipeline and target, oldest version first per license so a
 * replayed issue goes before the revocation that followed it. Optionally works the jobs in this
 * process until every replayed delivery is final again.
 */
import { randomUUID } from 'node:crypto';
import { deliveryTarget, deliveryTargetNames } from '../config/delivery-targets.js';
import type { Config } from '../config/types.js';
import { ErrorCodes, LicbridgeError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { STOP_PART_MS, within } from '../core/within.js';
import type { DeadLetter, DeliveryLedger, Ledger, StoredDelivery } from '../ledger/ledger.js';
import { deliveryKey } from '../ledger/rows.js';
import { recordConfigChange } from './config-audit.js';
import { IDLE_TIMEOUT_MS, jobsInFlight } from './idle-rule.js';
import { enqueueDeliver, JOB_BATCH } from './jobs.js';
import { createQueues } from './queues.js';
import { assertRedisReachable, queueConnection } from './redis.js';
import { Runtime } from './runtime.js';
import { waitUntilSettled } from './settle.js';
import { withLedger } from './with-ledger.js';
import { closeWorkersWithin, startWorkers } from './workers.js';

/** What one `--all` takes; a larger backlog is worked by running it again (those taken are no longer dead). */
const ALL_AT_ONCE = 100_000;

/**
 * The keys of every dead letter, of `target` when given, up to `cap`: what a replay or discard of
 * all takes. `more`: dead letters are left past them, for the command to be run again.
 */
async function everyDeadKey(
  ledger: DeliveryLedger,
  target: string | undefined,
  cap = ALL_AT_ONCE,
): Promise<{ keys: string[]; more: boolean }> {
  const list = await ledger.listDeadLetters({ ...(target ? { target } : {}), limit: cap + 1 });
  const taken = takenAtOnce(list, cap);
  return { keys: taken.map((d) => d.key), more: taken.length < list.length };
}

/**
 * The first `cap` of `list` (the ledger's order: target, license, version), less the last
 * license's letters when the cut falls between its versions: its older ones replayed alone would
 * leave the platform short of the latest until the next run (as a named replay is refused for).
 * A license with more than `cap` dead letters at one target is cut all the same.
 */
export function takenAtOnce(list: readonly DeadLetter[], cap: number): readonly DeadLetter[] {
  const next = list[cap];
  if (next === undefined) return list;
  const sameLicense = (d: DeadLetter | undefined) =>
    d !== undefined && d.target === next.target && d.licenseId === next.licenseId;
  let end = cap;
  while (end > 0 && sameLicense(list[end - 1])) end--;
  return list.slice(0, end > 0 ? end : cap);
}

export interface DeadLetterListQuery {
  target?: string;
  pipeline?: string;
  /** List the discarded ones instead of the dead ones. */
  discarded?: boolean;
  limit: number;
}

/** Dead (or discarded) letters, oldest version first per license. */
export async function listDeadLetters(
  config: Readonly<Config>,
  query: DeadLetterListQuery,
): Promise<DeadLetter[]> {
  return withLedger(config, (ledger) =>
    ledger.listDeadLetters({
      ...(query.target ? { target: query.target } : {}),
      ...(query.pipeline ? { pipeline: query.pipeline } : {}),
      state: query.discarded ? 'discarded' : 'dead',
      limit: query.limit,
    }),
  );
}

/** One delivery by its key: a dead letter, else a discarded one (so a closed one can still be read). */
export async function findDeadLetter(config: Readonly<Config>, key: string): Promise<DeadLetter> {
  const found = await withLedger(config, async (ledger) => {
    const [d] = await ledger.listDeadLetters({ keys: [key] });
    return d ?? (await ledger.listDeadLetters({ keys: [key], state: 'discarded' }))[0];
  });
  if (!found) throw new LicbridgeError(ErrorCodes.USAGE, `dlq: no dead or discarded delivery \`${key}\``);
  return found;
}

export interface DiscardOptions {
  /** Discard these keys; otherwise every dead letter (of `target`, when given). */
  keys?: readonly string[];
  target?: string;
  note?: string;
  /** Most dead letters taken without `keys`. @defaultValue 100000 */
  atOnce?: number;
}

export interface DiscardResult {
  discarded: DeadLetter[];
  /** Without `keys`: dead letters are left past those one run takes (`atOnce`); run it again. */
  more: boolean;
}

/** Closes dead letters without sending them: kept as `discarded`, with the action logged. */
export async function discardDeadLetters(
  config: Readonly<Config>,
  options: DiscardOptions,
): Promise<DiscardResult> {
  return withLedger(config, async (ledger) => {
    const every = options.keys ? undefined : await everyDeadKey(ledger, options.target, options.atOnce);
    const keys = options.keys ?? every?.keys ?? [];
    return { discarded: await ledger.discardDeadLetters(keys, options.note), more: every?.more ?? false };
  });
}

export interface ReplayOptions {
  /** Replay these keys; otherwise every dead letter (of `target`, when given). */
  keys?: readonly string[];
  target?: string;
  note?: string;
  /** Work the replayed deliveries in this process until each is final. @defaultValue true */
  wait?: boolean;
  /**
   * Give up waiting after this long, ms, not counting the time a live worker sends a replayed
   * delivery (./idle-rule.ts). @defaultValue 120000
   */
  timeoutMs?: number;
  /** Most dead letters taken without `keys`. @defaultValue 100000 */
  atOnce?: number;
  logger: Logger;
}

export interface ReplayResult {
  replayed: DeadLetter[];
  /** Final states after waiting (empty when not waiting). */
  outcomes: StoredDelivery[];
  /**
   * Dead letters of `--all`/`--target` left dead: their pipeline or target is no longer in the
   * config, so no worker could deliver them (`dlq discard` closes them, or the config takes the
   * target back).
   */
  skipped: DeadLetter[];
  /**
   * Dead letters of `--all`/`--target` left dead: a later version of their license is already
   * accepted at their target, and replayed they would put older data on the platform (`dlq
   * discard` closes them).
   */
  superseded: DeadLetter[];
  /** False when the wait ended with replayed deliveries not yet final (still queued). */
  settled: boolean;
  /** Without `keys`: dead letters are left past those one run takes (`atOnce`); run it again. */
  more: boolean;
}

/**
 * A dead letter this config can deliver: its pipeline is configured and still delivers to its
 * target, a delivery target. A pipeline moved to another target, the old one kept for others, no
 * longer sends its licenses there, and its sweeps no longer look there for a lost job's delivery.
 */
function deliverable(config: Readonly<Config>, d: DeadLetter): boolean {
  return (
    config.pipelines[d.pipeline]?.targets.includes(d.target) === true &&
    deliveryTarget(config, d.target) !== undefined
  );
}

/**
 * The deliveries at a letter's target of every later version of its license: one `versionPage`
 * per 500 licenses, from the oldest letter of those, then their rows at each letter's target.
 */
async function laterDeliveries(ledger: Ledger, letters: readonly DeadLetter[]): Promise<StoredDelivery[]> {
  const oldest = new Map<string, Map<string, number>>();
  for (const d of letters) {
    const byTarget = oldest.get(d.licenseId) ?? new Map<string, number>();
    byTarget.set(d.target, Math.min(byTarget.get(d.target) ?? d.versionId, d.versionId));
    oldest.set(d.licenseId, byTarget);
  }
  const later: string[] = [];
  const ids = [...oldest.keys()];
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    let after = Math.min(...chunk.flatMap((id) => [...(oldest.get(id)?.values() ?? [])]));
    for (;;) {
      const page = await ledger.versionPage({ afterVersionId: after, limit: 500, licenseIds: chunk });
      const last = page[page.length - 1];
      if (!last) break;
      for (const v of page)
        for (const [target, from] of oldest.get(v.licenseId) ?? [])
          if (v.versionId > from) later.push(deliveryKey(v.licenseId, v.version, target));
      after = last.versionId;
    }
  }
  return later.length > 0 ? ledger.getDeliveries(later) : [];
}

/** A dead letter and the latest version of its license accepted at its target after it. */
export interface Superseded {
  letter: DeadLetter;
  accepted: string;
}

/**
 * The letters a later version of whose license is accepted at the same target: the deliver stage
 * orders a version only behind its predecessor, so one replayed went after the accepted one and
 * the platform ended on the older data.
 */
function supersededBy(letters: readonly DeadLetter[], later: readonly StoredDelivery[]): Superseded[] {
  const latest = new Map<string, StoredDelivery>();
  for (const r of later) {
    if (r.state !== 'accepted') continue;
    const at = `${r.licenseId}\u0000${r.target}`;
    const seen = latest.get(at);
    if (!seen || r.versionId > seen.versionId) latest.set(at, r);
  }
  const out: Superseded[] = [];
  for (const letter of letters) {
    const r = latest.get(`${letter.licenseId}\u0000${letter.target}`);
    if (r && r.versionId > letter.versionId) out.push({ letter, accepted: r.key });
  }
  return out;
}

/** What a replay says of the letters it leaves dead behind a later accepted version. */
export const SUPERSEDED_ADVICE =
  'a later version of the same license is already accepted at the same target, and replayed they would put older data on the platform; close them with licbridge dlq discard';

function listed(keys: readonly string[]): string {
  const more = keys.length > 10 ? `, and ${keys.length - 10} more` : '';
  return `${keys.slice(0, 10).join(', ')}${more}`;
}

/**
 * Named dead letters are refused, whole, while a later version of one's license is accepted at its
 * target (see supersededBy), or dead there and not named with it: an issue dead in an outage holds
 * back the revocation read after it (dead too, `waits for …`), and replayed alone it put a revoked
 * license on the platform as valid. Named with it (or by `--target`/`--all`), both go, oldest first.
 */
function refuseStale(named: readonly DeadLetter[], later: readonly StoredDelivery[]): void {
  const superseded = supersededBy(named, later);
  if (superseded.length > 0) {
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `dlq replay: ${listed(superseded.map((s) => `${s.letter.key} (${s.accepted} accepted)`))}: ${SUPERSEDED_ADVICE}; nothing was replayed`,
    );
  }
  const namedKeys = new Set(named.map((d) => d.key));
  const dead = later.filter((r) => r.state === 'dead' && !namedKeys.has(r.key));
  if (dead.length === 0) return;
  throw new LicbridgeError(
    ErrorCodes.USAGE,
    `dlq replay: a later version of the same license is dead at the same target: ${listed(dead.map((d) => d.key))}; replayed alone, the older one would leave the platform short of the latest. Name them too, or replay by --target; nothing was replayed`,
  );
}

/**
 * Replayed letters by pipeline and target, each in the ledger's order (oldest version first per
 * license). Appended in place: a group copied on each letter took minutes for a week's backlog
 * (100,000 letters of one target: five billion copies) before the first job was enqueued.
 */
export function replayGroups(letters: readonly DeadLetter[]): Map<string, DeadLetter[]> {
  const groups = new Map<string, DeadLetter[]>();
  for (const d of letters) {
    const g = `${d.pipeline}\u0000${d.target}`;
    const list = groups.get(g);
    if (list) list.push(d);
    else groups.set(g, [d]);
  }
  return groups;
}

export async function replayDeadLetters(
  config: Readonly<Config>,
  options: ReplayOptions,
): Promise<ReplayResult> {
  await assertRedisReachable(config.queue.redis, config.queue.connectTimeoutMs);
  const rt = new Runtime(config, options.logger);
  const connection = queueConnection(config.queue.redis);
  // Deliver queues of delivery targets only: a `notify` gateway takes reminders from the tick,
  // and a deliver worker started for it refuses it — after the dead letters were taken out.
  const targets = deliveryTargetNames(config);
  const queues = createQueues(connection, config.queue.prefix, targets);
  let workers: ReturnType<typeof startWorkers> | undefined;
  try {
    const ledger = await rt.ledger();
    // What is replayed, and how it is sent, follow this process's pipelines and targets (docs/audit.md).
    await recordConfigChange(config, ledger.configChanges, options.logger);
    const every = options.keys ? undefined : await everyDeadKey(ledger, options.target, options.atOnce);
    const keys = options.keys ?? every?.keys ?? [];
    const more = every?.more ?? false;
    // Taken out of the dead letters only what a worker here can deliver: rows of a target or
    // pipeline the config no longer has would wait as `pending` where no sweep ever looks.
    const letters = keys.length > 0 ? await ledger.listDeadLetters({ keys, limit: keys.length }) : [];
    const skipped = letters.filter((d) => !deliverable(config, d));
    if (skipped.length > 0 && options.keys !== undefined) {
      const where = [...new Set(skipped.map((d) => `${d.pipeline} → ${d.target}`))].join(', ');
      throw new LicbridgeError(
        ErrorCodes.USAGE,
        `dlq replay: ${skipped.length} of the dead letters named belong to a pipeline or target the config does not have, or to a target their pipeline no longer delivers to (${where}); nothing was replayed. Put it back in the config (the target in the pipeline's targets), or close them with licbridge dlq discard`,
      );
    }
    const later = await laterDeliveries(ledger, letters);
    if (options.keys !== undefined) refuseStale(letters, later);
    const superseded = supersededBy(letters, later).map((s) => s.letter);
    const unreplayable = new Set([...skipped, ...superseded].map((d) => d.key));
    const replayed = await ledger.replayDeadLetters(
      keys.filter((k) => !unreplayable.has(k)),
      options.note,
    );
    const groups = replayGroups(replayed);
    const replayId = `replay-${randomUUID()}`;
    for (const list of groups.values()) {
      const first = list[0];
      if (!first) continue;
      await enqueueDeliver(
        rt.config,
        queues,
        first.target,
        { pipeline: first.pipeline, runId: replayId, versionIds: list.map((d) => d.versionId) },
        { chunk: JOB_BATCH },
      );
    }
    if (options.wait === false || replayed.length === 0)
      return { replayed, outcomes: [], skipped, superseded, settled: true, more };
    const pipelines = [...new Set(replayed.map((d) => d.pipeline))];
    for (const p of pipelines) await rt.pipeline(p);
    workers = startWorkers(rt, { connection, prefix: config.queue.prefix, queues, stages: ['deliver'] });
    let rows: StoredDelivery[] = [];
    // Waited for `timeoutMs` in all: the look reports no progress, so the idle clock restarts only
    // while a worker sends one of the replayed deliveries (a slow platform is not given up on).
    const waited = await waitUntilSettled(
      async () => {
        rows = await ledger.getDeliveries(replayed.map((d) => d.key));
        const done = rows.every(
          (r) => r.state === 'accepted' || r.state === 'dead' || r.state === 'discarded',
        );
        return { done, progress: '' };
      },
      {
        idleTimeoutMs: options.timeoutMs ?? IDLE_TIMEOUT_MS,
        inFlight: jobsInFlight(queues, pipelines),
        log: options.logger,
      },
    );
    return { replayed, outcomes: rows, skipped, superseded, settled: waited === 'settled', more };
  } finally {
    // Bounded, as `licbridge run`'s stop: after Redis went away under them, BullMQ's close of the
    // workers waits on a reconnecting connection for good (workers/stop-hard.ts), and the command
    // never returned. The ledger holds every outcome by then.
    await closeWorkersWithin(workers, () =>
      options.logger.warn('dlq replay: workers did not stop in time; stopping hard'),
    );
    await within(queues.close(), STOP_PART_MS);
    if (!(await within(rt.close(), STOP_PART_MS)))
      options.logger.warn('dlq replay: connections did not close in time');
  }
}
