import type { Command } from 'commander';
import { runLifecycle } from '../../pipelines/lifecycle/run-tick.js';
import { commandLogger, loadCommandConfig } from '../context.js';
import { commandFinished } from '../linger.js';
import { PROGRESS_INTERVAL_HELP, progressIntervalSeconds } from '../progress.js';
import { stopOnNextSignal } from '../signals.js';
import { lifecycleDayOption, registerLifecycleRemindersCommand } from './lifecycle-reminders.js';
import {
  lifecycleRunExitCode,
  lifecycleRunJson,
  lifecycleRunProgress,
  lifecycleRunText,
} from './lifecycle-run-output.js';

interface RunOpts {
  today?: string;
  pipeline?: string[];
  json?: boolean;
  progressInterval?: string;
}

/** `licbridge lifecycle …`: the license lifecycle clock (docs/lifecycle.md). */
export function registerLifecycleCommand(program: Command): void {
  const lifecycle = program
    .command('lifecycle')
    .description('the license lifecycle clock: derived expiry and expiry reminders (docs/lifecycle.md)');

  lifecycle
    .command('run')
    .description(
      'the daily tick: licenses still valid whose validTo has passed get an `expire` version, signed ' +
        'and delivered like any other; a second tick on the same day creates nothing',
    )
    .option(
      '--today <YYYY-MM-DD>',
      'run as this day (default: today in lifecycle.timeZone); a later day expires and reminds for real, ' +
        'but the daily ticks before it still run (docs/lifecycle.md)',
      lifecycleDayOption('run'),
    )
    .option('--pipeline <name...>', 'only these pipelines')
    .option('--progress-interval <seconds>', PROGRESS_INTERVAL_HELP)
    .option('--json', 'print JSON on stdout')
    .option('-c, --config <file>', 'config file')
    .action(async (opts: RunOpts, cmd: Command) => {
      const interval = progressIntervalSeconds('lifecycle run', opts.progressInterval);
      const config = await loadCommandConfig(cmd);
      const logger = commandLogger(config);
      // SIGTERM (systemd, an operator) or SIGINT (a terminal): the tick asks the gateway for no
      // further reminder, records the answer of a send in flight, lets its claims go and prints
      // its summary (pipelines/lifecycle/reminders.ts). A second signal finds no listener and ends
      // the process at once, as Node does by default.
      const { stop, off } = stopOnNextSignal(logger, "lifecycle: stopping; what is left is the next tick's");
      // Counts on stderr while the expiries are paged through and their versions go out; none
      // under --json, as `run` and `demo` (docs/lifecycle.md).
      const progress = opts.json ? undefined : lifecycleRunProgress(interval);
      let summary: Awaited<ReturnType<typeof runLifecycle>>;
      try {
        summary = await runLifecycle(config, {
          logger,
          stop,
          ...(opts.today === undefined ? {} : { today: opts.today }),
          ...(opts.pipeline === undefined ? {} : { pipelines: opts.pipeline }),
          ...(progress ? { onExpired: progress.expired, onSettling: progress.settling } : {}),
        });
      } finally {
        progress?.finish();
        off();
      }
      process.stdout.write(opts.json ? lifecycleRunJson(summary) : lifecycleRunText(summary));
      const code = lifecycleRunExitCode(summary);
      if (code !== undefined) process.exitCode = code;
      // A handle left open (a connection reconnecting after a stop, one whose QUIT a Redis gone
      // silent never answers, its close given up on) must not hold the process after its summary
      // (cli/linger.ts).
      commandFinished('lifecycle run', logger);
    });

  // `lifecycle reminders`: the expiry reminders sent and due (registered beside this command).
  registerLifecycleRemindersCommand(lifecycle);
}
