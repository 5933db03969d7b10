import type { Command } from 'commander';
import { openLedger } from '../../ledger/open-ledger.js';
import { createQueues } from '../../pipelines/queues.js';
import { assertRedisReachable, redisOptionsFromUrl } from '../../pipelines/redis.js';
import { commandLogger, loadCommandConfig } from '../context.js';

interface PipelineStatus {
  pipeline: string;
  lastRun: null | {
    runId: string;
    state: string;
    startedAt: string;
    finishedAt: string | null;
    read: number;
    created: number;
    unchanged: number;
    quarantined: number;
  };
  checkpoint: { cursor: string | null; key: string } | null;
}

export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description('show each pipeline’s last run and checkpoint, and the queue depths')
    .option('--json', 'print JSON')
    .option('-c, --config <file>', 'config file')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const config = await loadCommandConfig(cmd);
      const logger = commandLogger(config);
      const ledger = await openLedger(config.ledger.url, { logger });
      const pipelines: PipelineStatus[] = [];
      try {
        for (const name of Object.keys(config.pipelines)) {
          const run = await ledger.lastRun(name);
          pipelines.push({
            pipeline: name,
            lastRun: run && {
              runId: run.runId,
              state: run.state,
              startedAt: run.startedAt.toISOString(),
              finishedAt: run.finishedAt?.toISOString() ?? null,
              read: run.read,
              created: run.created,
              unchanged: run.unchanged,
              quarantined: run.quarantined,
            },
            checkpoint: await ledger.getCheckpoint(name),
          });
        }
      } finally {
        await ledger.close();
      }
      let queues: Record<string, Record<string, number>> | { error: string };
      try {
        await assertRedisReachable(config.queue.redis, config.queue.connectTimeoutMs);
        const set = createQueues(
          redisOptionsFromUrl(config.queue.redis),
          config.queue.prefix,
          Object.keys(config.targets),
        );
        try {
          const all = [set.extract, set.sign, ...set.deliver.values()];
          queues = {};
          for (const q of all) {
            queues[q.name] = await q.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed');
          }
        } finally {
          await set.close();
        }
      } catch (error) {
        queues = { error: error instanceof Error ? error.message : String(error) };
      }
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ pipelines, queues })}\n`);
        return;
      }
      for (const p of pipelines) {
        const r = p.lastRun;
        process.stdout.write(
          `${p.pipeline}: ${r ? `last run ${r.state} at ${r.startedAt} (read ${r.read}, created ${r.created}, unchanged ${r.unchanged}, quarantined ${r.quarantined})` : 'never run'}\n`,
        );
        process.stdout.write(
          `  checkpoint: ${p.checkpoint ? `${p.checkpoint.cursor ?? '-'} / key ${p.checkpoint.key}` : 'none'}\n`,
        );
      }
      if ('error' in queues) process.stdout.write(`queues: unavailable: ${queues.error}\n`);
      else
        for (const [name, counts] of Object.entries(queues)) {
          const text = Object.entries(counts)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ');
          process.stdout.write(`queue ${name}: ${text}\n`);
        }
    });
}
