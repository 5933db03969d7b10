import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { terminalJson, terminalLine, terminalSafe } from '../../core/terminal-text.js';
import { within } from '../../core/within.js';
import { zonedTime } from '../../core/zoned-time.js';
import { skippedTickWarnings } from '../../pipelines/lifecycle/schedule-skipped-day.js';
import { PROBE_TIMEOUT_MS } from '../../pipelines/observability/status-types.js';
import { createQueues } from '../../pipelines/queues.js';
import { closeQueuesWithin } from '../../pipelines/queues-close.js';
import { assertRedisReachable, queueConnection } from '../../pipelines/redis.js';
import { type ListedSchedule, listSchedules } from '../../pipelines/schedule-list.js';
import { checksOutsideReadWindow } from '../../pipelines/schedule-window.js';
import { scheduleTimeZone, syncSchedules, wantedSchedules } from '../../pipelines/schedules.js';
import { loadCommandConfig } from '../context.js';
import { EXIT_ATTENTION } from '../errors.js';

/**
 * One installed scheduler, tab-separated. Its id, expression and zone are read from Redis, which
 * anyone who can write it can set (a problem quotes them too): each field through terminalLine,
 * so none holds an escape sequence, a tab or a line break that forges or hides another line.
 */
function listLine(s: ListedSchedule, tz: string): string {
  const fields = [s.id, s.pattern ?? '-', s.tz ?? '-', `next ${zonedTime(s.next, tz)}`];
  if (s.problem) fields.push(s.problem);
  return fields.map(terminalLine).join('\t');
}

export function registerScheduleCommand(program: Command): void {
  program
    .command('schedule')
    .description(
      "register a job scheduler for each pipeline's `schedule` (cron) and its full check " +
        '(`reconcile.schedule`), and remove stale ones; `licbridge worker` processes then run them on time',
    )
    .option(
      '--list',
      'only list the registered schedulers, each with what needs `licbridge schedule` or a worker (exit 3 when one does)',
    )
    .option('--json', 'print JSON on stdout')
    .option('-c, --config <file>', 'config file')
    .action(async (opts: { list?: boolean; json?: boolean }, cmd: Command) => {
      const config = await loadCommandConfig(cmd);
      await assertRedisReachable(config.queue.redis, config.queue.connectTimeoutMs);
      const queues = createQueues(queueConnection(config.queue.redis), config.queue.prefix, []);
      const tz = scheduleTimeZone(config);
      try {
        if (opts.list) {
          // Each read and the close bounded by status's probe time: a Redis that stopped answering
          // after the check above held the list with no end.
          const list = await listSchedules(queues, config, Date.now(), PROBE_TIMEOUT_MS);
          if (opts.json) process.stdout.write(`${terminalJson(list, 2)}\n`);
          else for (const s of list) process.stdout.write(`${listLine(s, tz)}\n`);
          // Unattended checks (cron, monitoring) read the exit code as `status`'s: 3 needs a person.
          if (list.some((s) => s.problem)) process.exitCode = EXIT_ATTENTION;
          return;
        }
        // Bounded: a Redis that stopped answering after the check above held the command, a deploy
        // script's step, with no end. Each scheduler installed, and the record and the two reads of
        // stale ones after them, may take `queue.connectTimeoutMs`; what was installed by then
        // stands, and running the command again installs the rest.
        const budgetMs = config.queue.connectTimeoutMs * (wantedSchedules(config).length + 3);
        const syncing = syncSchedules(config, queues);
        if (!(await within(syncing, budgetMs)))
          throw new LicbridgeError(
            ErrorCodes.QUEUE_UNREACHABLE,
            `schedule: Redis stopped answering while the schedules were installed (no answer within ${budgetMs} ms); run \`licbridge schedule\` again once Redis answers`,
            { retryable: true },
          );
        const result = await syncing;
        if (opts.json) process.stdout.write(`${terminalJson(result, 2)}\n`);
        else {
          for (const u of result.upserted)
            process.stdout.write(
              `scheduled ${u.pipeline}\t${u.pattern}\t${tz}\tnext ${zonedTime(u.next, tz)}\n`,
            );
          for (const c of result.checks)
            process.stdout.write(
              `full check ${c.pipeline}\t${c.pattern}\t${tz}\tnext ${zonedTime(c.next, tz)}\n`,
            );
          if (result.lifecycle)
            process.stdout.write(
              `lifecycle tick\t${result.lifecycle.pattern}\t${tz}\tnext ${zonedTime(result.lifecycle.next, tz)}\n`,
            );
          // A removed scheduler's id is read from Redis, as --list's are.
          for (const r of result.removed) process.stdout.write(`removed ${terminalLine(r)}\n`);
          if (result.upserted.length === 0 && result.removed.length === 0)
            process.stdout.write('no pipeline has a schedule\n');
        }
        // Installed all the same: a full check its source's readWindow refuses, told as config check tells it.
        for (const warning of checksOutsideReadWindow(config))
          process.stderr.write(terminalSafe(`warning: ${warning}\n`));
        // And any schedule that skips the day summer time starts at midnight (America/Havana).
        for (const warning of skippedTickWarnings(config, await readFile(config.file, 'utf8')))
          process.stderr.write(terminalSafe(`warning: ${warning}\n`));
      } finally {
        await closeQueuesWithin(queues, PROBE_TIMEOUT_MS);
      }
    });
}
