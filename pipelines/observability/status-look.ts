/**
 * One look at the deployment for `licbridge status`: the ledger and the queues opened for the
 * look, the report collected (./status-report.ts), both closed again. Either one being down is a
 * finding in the report, not a crash.
 */
import type { Config } from '../../config/types.js';
import type { Logger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import { isPendingMigrationsError } from '../../ledger/pending-migrations.js';
import { openConfigLedger } from '../config-ledger.js';
import { createQueues, type QueueSet } from '../queues.js';
import { closeQueuesWithin } from '../queues-close.js';
import { assertRedisReachable, queueConnection } from '../redis.js';
import { isLedgerError, type LedgerFailure } from './status-ledger.js';
import { collectStatus, type StatusOptions, type StatusReport } from './status-report.js';
import { withTimeout } from './timeout.js';

function failure(error: unknown): { error: string } {
  return { error: error instanceof Error ? error.message : String(error) };
}

/**
 * The ledger for one look: a database that is down is a finding, not a crash, and its calls give
 * up at once instead of riding out the outage as a run does. It never migrates the ledger: status
 * run by monitoring from a new release while the old release's workers still run would change the
 * tables under them (docs/operations.md, "Upgrades"); a ledger not migrated yet is the finding.
 */
async function openStatusLedger(
  config: Readonly<Config>,
  logger: Logger,
  timeoutMs: number,
): Promise<Ledger | LedgerFailure> {
  const opening = openConfigLedger(config, { logger, retryBudgetMs: 0, migrate: false });
  try {
    return await withTimeout(opening, timeoutMs, 'ledger: open');
  } catch (error) {
    // Given up on, it may still open (a slow database): closed then, as its connections would keep
    // the process running after the report.
    opening.then((late) => late.close()).catch(() => undefined);
    return isPendingMigrationsError(error) ? { ...failure(error), unmigrated: true } : failure(error);
  }
}

/** The queues, once Redis answered within the probe's time (or the queue's own connect timeout, if shorter). */
async function openQueues(
  config: Readonly<Config>,
  timeoutMs: number,
  logger: Logger,
): Promise<QueueSet | { error: string }> {
  try {
    await assertRedisReachable(config.queue.redis, Math.min(timeoutMs, config.queue.connectTimeoutMs));
    return createQueues(
      queueConnection(config.queue.redis),
      config.queue.prefix,
      Object.keys(config.targets),
      logger,
    );
  } catch (error) {
    return failure(error);
  }
}

/**
 * The status report; `timeoutMs` bounds opening the ledger, reaching Redis, each probe, and closing
 * the queues.
 */
export async function lookStatus(
  config: Readonly<Config>,
  logger: Logger,
  options: StatusOptions & { timeoutMs: number },
): Promise<StatusReport> {
  const ledger = await openStatusLedger(config, logger, options.timeoutMs);
  const queues = await openQueues(config, options.timeoutMs, logger);
  try {
    try {
      return await collectStatus(config, ledger, queues, options);
    } catch (error) {
      // Opened, then failing while read (the database went away meanwhile): a finding, as when it
      // cannot be opened, named as the ledger's.
      if (!isLedgerError(error)) throw error;
      return await collectStatus(config, failure(error), queues, options);
    }
  } finally {
    if (!('error' in ledger)) await ledger.close();
    // Within the probe's time, else dropped: BullMQ's close waits for QUIT's answer, and a Redis
    // that stopped answering after it was reached held status, its report unprinted, with no end.
    if (!('error' in queues)) await closeQueuesWithin(queues, options.timeoutMs);
  }
}
