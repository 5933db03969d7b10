import type { Command } from 'commander';
import { deliveryTargetNames } from '../../config/delivery-targets.js';
import { queue } from '../../config/schema/top.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { terminalLine } from '../../core/terminal-text.js';
import { within } from '../../core/within.js';
import { recordConfigChange } from '../../pipelines/config-audit.js';
import { createQueues } from '../../pipelines/queues.js';
import { closeQueuesWithin } from '../../pipelines/queues-close.js';
import { assertRedisReachable, queueConnection } from '../../pipelines/redis.js';
import { Runtime } from '../../pipelines/runtime.js';
import { keepSchedules, SCHEDULE_CHECK_MS } from '../../pipelines/schedule-keeper.js';
import { recordRunFailures } from '../../pipelines/workers/run-failures.js';
import { startWorkers } from '../../pipelines/workers.js';
import { commandLogger, loadCommandConfig } from '../context.js';
import { commandFinished } from '../linger.js';
import { nextSignal } from '../signals.js';
import { MAX_TIMER_MS } from '../timer-ms.js';
import { stoppingHard } from './worker-stopping-hard.js';

type Stage = 'extract' | 'sign' | 'deliver' | 'reconcile' | 'lifecycle';
const STAGES: readonly Stage[] = ['extract', 'sign', 'deliver', 'reconcile', 'lifecycle'];

/**
 * A whole number of ms from `min` to `max` (by default the longest a timer holds: cli/timer-ms.ts),
 * or undefined when the option is not given.
 */
function milliseconds(
  name: string,
  value: string | undefined,
  min = 1,
  max = MAX_TIMER_MS,
  as = '',
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `worker: expected \`${name}\` to be a whole number of ms from ${min} to ${max}${as}, got \`${terminalLine(value)}\``,
    );
  }
  return n;
}

/** The bounds the config's schema sets a `queue` setting the worker's option stands in for. */
function queueBounds(key: 'lockDurationMs' | 'stalledIntervalMs'): [number, number, string] {
  const field = (queue as { properties: Record<string, { minimum: number; maximum: number }> }).properties[
    key
  ];
  if (field === undefined) throw new Error(`queue.${key}: not in the schema`);
  return [field.minimum, field.maximum, ` (as \`queue.${key}\`)`];
}

export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description(
      'run long-lived workers until SIGTERM or SIGINT; any number of them, on one host or many, share the queues',
    )
    .option(
      '--stages <list>',
      'comma-separated stages to work: extract,sign,deliver,reconcile (scheduled full checks),lifecycle (the daily tick)',
      'extract,sign,deliver,reconcile,lifecycle',
    )
    .option(
      '--queues <list>',
      'comma-separated queues to work: extract, sign, reconcile, deliver (every target) or deliver-<target>',
    )
    .option(
      '--lock-duration <ms>',
      "how long a job's lock lasts without renewal; a killed worker's jobs return after it (default: queue.lockDurationMs)",
    )
    .option(
      '--stalled-interval <ms>',
      'how often to look for jobs of killed workers (default: queue.stalledIntervalMs)',
    )
    .option(
      '--shutdown-timeout <ms>',
      'on SIGTERM, wait this long for in-flight jobs before stopping hard',
      '30000',
    )
    .option(
      '--schedule-check <ms>',
      "how often to look for the config's schedules missing from Redis (lost with its data) and install them again; also at start and after each reconnect",
      String(SCHEDULE_CHECK_MS),
    )
    .option('-c, --config <file>', 'config file')
    .action(
      async (
        opts: {
          stages: string;
          queues?: string;
          lockDuration?: string;
          stalledInterval?: string;
          shutdownTimeout: string;
          scheduleCheck: string;
        },
        cmd: Command,
      ) => {
        const config = await loadCommandConfig(cmd);
        const logger = commandLogger(config);
        const stages = opts.stages.split(',').map((s) => s.trim()) as Stage[];
        for (const s of stages) {
          if (!STAGES.includes(s))
            throw new LicbridgeError(
              ErrorCodes.USAGE,
              `worker: unknown stage \`${terminalLine(s)}\` (known: ${STAGES.join(', ')})`,
            );
        }
        // Delivery targets only: a `notify` gateway takes reminders from the tick, never a deliver
        // job, and a deliver worker started for it refuses it — the worker would not start at all.
        const targets = deliveryTargetNames(config);
        const known = new Set([
          'extract',
          'sign',
          'reconcile',
          'lifecycle',
          'deliver',
          ...targets.map((t) => `deliver-${t}`),
        ]);
        const queueNames = opts.queues?.split(',').map((q) => q.trim());
        for (const q of queueNames ?? []) {
          if (!known.has(q))
            throw new LicbridgeError(
              ErrorCodes.USAGE,
              `worker: unknown queue \`${terminalLine(q)}\` (known: ${[...known].join(', ')})`,
            );
          // `--queues` narrows `--stages`: a queue of another stage was dropped without a word, and
          // `--stages extract --queues sign` started a worker that worked nothing.
          const stage = (q.startsWith('deliver-') ? 'deliver' : q) as Stage;
          if (!stages.includes(stage))
            throw new LicbridgeError(
              ErrorCodes.USAGE,
              `worker: queue \`${q}\` is of stage ${stage}, which \`--stages\` does not name (${stages.join(', ')}): add ${stage} to \`--stages\`, or drop the queue`,
            );
        }
        // Held to what the config's schema allows the settings they stand in for, and the rest to
        // what a timer holds: past it, a timer fires at once (cli/timer-ms.ts).
        const lockDurationMs = milliseconds(
          '--lock-duration',
          opts.lockDuration,
          ...queueBounds('lockDurationMs'),
        );
        const stalledIntervalMs = milliseconds(
          '--stalled-interval',
          opts.stalledInterval,
          ...queueBounds('stalledIntervalMs'),
        );
        const shutdownMs = milliseconds('--shutdown-timeout', opts.shutdownTimeout) ?? 30_000;
        const scheduleCheckMs = milliseconds('--schedule-check', opts.scheduleCheck) ?? SCHEDULE_CHECK_MS;
        await assertRedisReachable(config.queue.redis, config.queue.connectTimeoutMs);
        const rt = new Runtime(config, logger);
        await openTargets(rt, targets, logger);
        const connection = queueConnection(config.queue.redis);
        const queues = createQueues(connection, config.queue.prefix, targets, logger);
        await recordConfigChange(config, (await rt.ledger()).configChanges, logger);
        // Heard from the moment jobs may be taken, not from the line that says so: a supervisor
        // that stops the worker as soon as it reads `worker: started` found it not listening yet,
        // and Node's default ended it at once, its jobs left to their locks and nothing closed.
        const stop = nextSignal();
        const workers = startWorkers(rt, {
          connection,
          prefix: config.queue.prefix,
          queues,
          stages,
          ...(queueNames ? { queueNames } : {}),
          ...(lockDurationMs ? { lockDurationMs } : {}),
          ...(stalledIntervalMs ? { stalledIntervalMs } : {}),
        });
        // As `licbridge run` fails a run whose job failed for good, so does this process: in the ledger.
        const failures = recordRunFailures(workers.events, () => rt.ledger(), logger);
        // Schedules live in Redis only: a Redis that lost its data stopped every scheduled run.
        // A stop that comes while they are looked up (an answer a Redis that stopped answering
        // never gives) is heard: the worker stops without them.
        const keeping = keepSchedules(config, queues, logger, scheduleCheckMs);
        const early = await Promise.race([keeping.then(() => undefined), stop.signal]).catch((e: unknown) => {
          stop.off();
          throw e;
        });
        const schedules = early ? undefined : await keeping;
        if (schedules) logger.info({ stages, queues: queueNames ?? 'all', targets }, 'worker: started');
        const signal = early ?? (await stop.signal);
        logger.info({ signal }, 'worker: stopping; in-flight jobs finish first');
        if (schedules) schedules.stop();
        else
          void keeping.then(
            (s) => s.stop(),
            () => undefined,
          );
        // Worker.close() takes no new job and waits for the active ones. If they outlast the
        // timeout (or a second signal comes), stop hard: their locks expire and other workers
        // recover them as stalled; deliveries they had leased are sent again under the same keys.
        let hard: NodeJS.Timeout | undefined;
        const second = nextSignal();
        const forced = new Promise<'timeout' | 'signal'>((resolve) => {
          hard = setTimeout(() => resolve('timeout'), shutdownMs);
          void second.signal.then(() => resolve('signal'));
        });
        const graceful = workers.close().then(
          () => 'graceful' as const,
          (e: unknown) => {
            logger.warn({ err: { message: (e as Error).message } }, 'worker: close failed');
            return 'graceful' as const;
          },
        );
        const how = await Promise.race([graceful, forced]);
        clearTimeout(hard);
        // From here every wait is bounded; a further signal ends the process as Node does by default.
        second.off();
        if (how !== 'graceful') {
          logger.warn(...stoppingHard(how, workers.waitingOn()));
          // Jobs that stalled out are settled against the ledger and Redis, which may be what is
          // gone: that wait is bounded by the same timeout, and so is the whole hard stop.
          const stopped = workers.close(true, shutdownMs).then(() => true);
          if (!(await within(stopped, Math.min(shutdownMs * 2, MAX_TIMER_MS))))
            logger.warn('worker: workers did not stop in time; closing connections');
        }
        if (!(await within(failures.flush(), shutdownMs)))
          logger.warn('worker: run failures not recorded in time');
        failures.stop();
        // A check under way uses the queues' connection: it ends (or fails, logged) before they close.
        if (schedules) await within(schedules.settled(), shutdownMs);
        // A connection whose server stopped answering (a ledger query or a Redis command in
        // flight) holds its close, and then the process, for good: each close is bounded too. The
        // queues' connections are dropped once late, as `run`'s are (BullMQ's close waits for an
        // answer to QUIT); past the ledger's bound the process exits with what it left open.
        await closeQueuesWithin(queues, shutdownMs);
        if (!(await within(rt.close(), shutdownMs))) {
          logger.warn('worker: connections did not close in time; exiting');
          process.exit(process.exitCode ?? 0);
        }
        logger.info('worker: stopped');
        // Stopped, its jobs finished or left to their locks: a handle still open (a connection left
        // reconnecting after a Redis outage, a library's timer) must not keep the process up after
        // it said so, waiting for a second signal or the supervisor's SIGKILL (cli/linger.ts).
        commandFinished('worker', logger);
      },
    );
}

/**
 * Opens each delivery target once before any job is taken. A target its config cannot work with
 * (a front database without the configured table or column) would fail every job of its
 * pipelines, extract and sign included, until the config was fixed: the worker refuses to start
 * instead, exit 2 as `run` does. A target that fails to open for another reason (its database or
 * host away) is only named: each job opens it again.
 */
async function openTargets(rt: Runtime, targets: readonly string[], logger: Logger): Promise<void> {
  for (const name of targets) {
    try {
      await rt.target(name);
    } catch (e) {
      if (e instanceof LicbridgeError && e.code === ErrorCodes.CONFIG_INVALID) {
        await rt.close();
        throw e;
      }
      logger.warn(
        { target: name, err: { message: (e as Error).message } },
        'worker: target did not open; its jobs open it again',
      );
    }
  }
}
