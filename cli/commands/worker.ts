import type { Command } from 'commander';
import { createQueues } from '../../pipelines/queues.js';
import { assertRedisReachable, redisOptionsFromUrl } from '../../pipelines/redis.js';
import { Runtime } from '../../pipelines/runtime.js';
import { startWorkers } from '../../pipelines/workers.js';
import { commandLogger, loadCommandConfig } from '../context.js';

type Stage = 'extract' | 'sign' | 'deliver';

export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('run long-lived workers for every pipeline until SIGTERM or SIGINT')
    .option('--stages <list>', 'comma-separated stages to work: extract,sign,deliver', 'extract,sign,deliver')
    .option('-c, --config <file>', 'config file')
    .action(async (opts: { stages: string }, cmd: Command) => {
      const config = await loadCommandConfig(cmd);
      const logger = commandLogger(config);
      await assertRedisReachable(config.queue.redis, config.queue.connectTimeoutMs);
      const stages = opts.stages.split(',').map((s) => s.trim()) as Stage[];
      const rt = new Runtime(config, logger);
      const connection = redisOptionsFromUrl(config.queue.redis);
      const targets = Object.keys(config.targets);
      const queues = createQueues(connection, config.queue.prefix, targets);
      await rt.ledger();
      const workers = startWorkers(rt, { connection, prefix: config.queue.prefix, queues, stages });
      logger.info({ stages, targets }, 'worker: started');
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          logger.info({ signal }, 'worker: stopping; in-flight jobs finish first');
          resolve();
        };
        process.once('SIGTERM', () => stop('SIGTERM'));
        process.once('SIGINT', () => stop('SIGINT'));
      });
      // Worker.close() waits for active jobs; a job cut off harder is recovered as stalled by another worker.
      await workers.close();
      await queues.close();
      await rt.close();
      logger.info('worker: stopped');
    });
}
