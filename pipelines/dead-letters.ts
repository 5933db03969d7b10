/**
 * Dead letters: listing them, showing one, discarding them, and replaying them.
 *
 * Replaying: the ledger moves them back to `pending` (and logs who did what), then deliver jobs
 * are enqueued for them, grouped by pipeline and target, oldest version first per license so a
 * replayed issue goes before the revocation that followed it. Optionally works the jobs in this
 * process until every replayed delivery is final again. A letter whose send the platform may hold
 * (tried before it was dead-lettered, or in an earlier round) is asked about by its job before it
 * is sent: the ledger leaves it as the delivery of a sender whose answer was lost
 * (ledger/dead-letters.ts `unsureLease`), and the deliver stage records what the platform holds
 * (stages/deliver-lost-answers.ts), sending only the rest.
 */
import { randomUUID } from 'node:crypto';
import { deliveryTargetNames } from '../config/delivery-targets.js';
import type { Config } from '../config/types.js';
import { ErrorCodes, LicbridgeError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { answeredWithin, STOP_PART_MS, within } from '../core/within.js';
import type { DeadLetter, StoredDelivery } from '../ledger/ledger.js';
import { recordConfigChange } from './config-audit.js';
import {
  deliverable,
  everyDeadKey,
  laterDeliveries,
  leftDeadWhere,
  refuseUnknownKeys,
  replayableDeadLetters,
  supersededBy,
} from './dead-letters-taken.js';
import { IDLE_TIMEOUT_MS, jobsInFlight } from './idle-rule.js';
import { enqueueDeliver, JOB_BATCH } from './jobs.js';
import { createQueues } from './queues.js';
import { closeQueuesWithin } from './queues-close.js';
import { assertRedisReachable, queueConnection } from './redis.js';
import { Runtime } from './runtime.js';
import { waitUntilSettled } from './settle.js';
import { READ_ONLY, withLedger } from './with-ledger.js';
import { closeWorkersWithin, startWorkers } from './workers.js';

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
  return withLedger(
    config,
    (ledger) =>
      ledger.listDeadLetters({
        ...(query.target ? { target: query.target } : {}),
        ...(query.pipeline ? { pipeline: query.pipeline } : {}),
        state: query.discarded ? 'discarded' : 'dead',
        limit: query.limit,
      }),
    READ_ONLY,
  );
}

/** One delivery by its key: a dead letter, else a discarded one (so a closed one can still be read). */
export async function findDeadLetter(config: Readonly<Config>, key: string): Promise<DeadLetter> {
  const found = await withLedger(
    config,
    async (ledger) => {
      const [d] = await ledger.listDeadLetters({ keys: [key] });
      return d ?? (await ledger.listDeadLetters({ keys: [key], state: 'discarded' }))[0];
    },
    READ_ONLY,
  );
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
    await refuseUnknownKeys(ledger, 'dlq discard', options.keys ?? [], 'discarded');
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
  /**
   * Told at each look while the command waits: of the deliveries replayed, how many are final
   * (accepted, dead again, discarded). Counts only, for a progress line.
   */
  onWaiting?: (final: number, replayed: number) => void;
  logger: Logger;
}

export interface ReplayResult {
  replayed: DeadLetter[];
  /** Final states after waiting (empty when not waiting). */
  outcomes: StoredDelivery[];
  /**
   * Dead letters of `--all`/`--target` left dead: their pipeline or target is no longer in the
   * config, so no worker could deliver them (`dlq discard` closes them, or the config takes the
   * target back). The first LEFT_DEAD_LISTED only (dead-letters-taken.ts); `skippedCount` counts
   * them all, `skippedWhere` names each pipeline → target among them.
   */
  skipped: DeadLetter[];
  skippedCount: number;
  skippedWhere: string[];
  /**
   * Dead letters of `--all`/`--target` left dead: a later version of their license is already
   * accepted at their target, and replayed they would put older data on the platform (`dlq
   * discard` closes them). The first LEFT_DEAD_LISTED only; `supersededCount` counts them all.
   */
  superseded: DeadLetter[];
  supersededCount: number;
  /** False when the wait ended with replayed deliveries not yet final (still queued). */
  settled: boolean;
  /** Without `keys`: dead letters are left past those one run takes (`atOnce`); run it again. */
  more: boolean;
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
  // A mistyped key is refused before anything is done: past this, the replay reaches Redis and
  // writes the configuration in force to the audit chain (docs/audit.md), so a typo read as Redis
  // being unreachable, or left a `config` entry of a replay that never happened.
  const named = options.keys;
  if (named !== undefined && named.length > 0)
    await withLedger(config, (ledger) => refuseUnknownKeys(ledger, 'dlq replay', named, 'replayed'));
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
    let letters: DeadLetter[];
    let skipped: DeadLetter[];
    let superseded: DeadLetter[];
    let skippedCount: number;
    let skippedWhere: string[];
    let supersededCount: number;
    let more = false;
    if (options.keys !== undefined) {
      const keys = options.keys;
      letters = keys.length > 0 ? await ledger.listDeadLetters({ keys, limit: keys.length }) : [];
      // Taken out of the dead letters only what a worker here can deliver: rows of a target or
      // pipeline the config no longer has would wait as `pending` where no sweep ever looks.
      skipped = letters.filter((d) => !deliverable(config, d));
      if (skipped.length > 0) {
        const where = leftDeadWhere(skipped).join(', ');
        throw new LicbridgeError(
          ErrorCodes.USAGE,
          `dlq replay: ${skipped.length} of the dead letters named belong to a pipeline or target the config does not have, or to a target their pipeline no longer delivers to (${where}); nothing was replayed. Put it back in the config (the target in the pipeline's targets), or close them with licbridge dlq discard`,
        );
      }
      const later = await laterDeliveries(ledger, letters);
      refuseStale(letters, later);
      superseded = supersededBy(letters, later).map((s) => s.letter);
      skippedCount = 0;
      skippedWhere = [];
      supersededCount = superseded.length;
    } else {
      // The same rules, walked past the letters left dead (dead-letters-taken.ts).
      ({ letters, skipped, skippedCount, skippedWhere, superseded, supersededCount, more } =
        await replayableDeadLetters(config, ledger, options.target, options.atOnce));
    }
    const left = { skipped, skippedCount, skippedWhere, superseded, supersededCount };
    const unreplayable = new Set([...skipped, ...superseded].map((d) => d.key));
    const replayed = await ledger.replayDeadLetters(
      letters.map((d) => d.key).filter((k) => !unreplayable.has(k)),
      options.note,
    );
    const groups = replayGroups(replayed);
    const replayId = `replay-${randomUUID()}`;
    // Bounded: a Redis that took the adds and stopped answering held the command for good, `--no-wait`
    // too. The replayed deliveries are `pending` in the ledger by then: a run's sweep or the next
    // scheduled run queues what no job holds.
    const enqueued = (async () => {
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
    })();
    await answeredWithin(
      enqueued,
      options.timeoutMs ?? IDLE_TIMEOUT_MS,
      'dlq replay: queuing the replayed deliveries',
    ).catch((e: unknown) => {
      // Said with what became of them: out of the dead letters, and queued by someone else later.
      if (!(e instanceof LicbridgeError)) throw e;
      throw new LicbridgeError(
        e.code,
        `${e.message}; the ${replayed.length} replayed delivery(ies) are pending in the ledger: a run's sweep or the pipeline's next scheduled run queues them`,
        { retryable: true, cause: e },
      );
    });
    if (options.wait === false || replayed.length === 0)
      return { replayed, outcomes: [], ...left, settled: true, more };
    const pipelines = [...new Set(replayed.map((d) => d.pipeline))];
    // No pipeline is opened here: a deliver job opens its target and reads its pipeline's config
    // alone (workers/deliver-worker.ts). Opened whole (source, catalog, mapping, signer), a legacy
    // database away for maintenance failed the command after its letters were queued.
    workers = startWorkers(rt, { connection, prefix: config.queue.prefix, queues, stages: ['deliver'] });
    let rows: StoredDelivery[] = [];
    // Waited for `timeoutMs` in all: the look reports no progress, so the idle clock restarts only
    // while a worker sends one of the replayed deliveries (a slow platform is not given up on).
    const waited = await waitUntilSettled(
      async () => {
        rows = await ledger.getDeliveries(replayed.map((d) => d.key));
        const final = rows.filter(
          (r) => r.state === 'accepted' || r.state === 'dead' || r.state === 'discarded',
        ).length;
        options.onWaiting?.(final, replayed.length);
        return { done: final === rows.length, progress: '' };
      },
      {
        idleTimeoutMs: options.timeoutMs ?? IDLE_TIMEOUT_MS,
        inFlight: jobsInFlight(queues, pipelines),
        log: options.logger,
      },
    );
    return { replayed, outcomes: rows, ...left, settled: waited === 'settled', more };
  } finally {
    // Bounded, as `licbridge run`'s stop: after Redis went away under them, BullMQ's close of the
    // workers waits on a reconnecting connection for good (workers/stop-hard.ts), and the command
    // never returned. The ledger holds every outcome by then.
    await closeWorkersWithin(workers, () =>
      options.logger.warn('dlq replay: workers did not stop in time; stopping hard'),
    );
    await closeQueuesWithin(queues, STOP_PART_MS);
    if (!(await within(rt.close(), STOP_PART_MS)))
      options.logger.warn('dlq replay: connections did not close in time');
  }
}
