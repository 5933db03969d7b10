import type { Command } from 'commander';
import { terminalJson, terminalLine } from '../../core/terminal-text.js';
import { runLifecycle } from '../../pipelines/lifecycle/run-tick.js';
import { commandLogger, loadCommandConfig } from '../context.js';
import { lifecycleDayOption, registerLifecycleRemindersCommand } from './lifecycle-reminders.js';

/** `licbridge lifecycle …`: the license lifecycle clock (docs/lifecycle.md). */
export function registerLifecycleCommand(program: Command): void {
  const lifecycle = program
    .command('lifecycle')
    .description('the license lifecycle clock: derived expiry and expiry reminders (docs/lifecycle.md)');

  lifecycle
    .command('run')
    .description(
      'the daily tick: licenses still valid whose validTo has passed get an `expire` version, signed\n' +
        'and delivered like any other; a second tick on the same day creates nothing',
    )
    .option(
      '--today <YYYY-MM-DD>',
      'run as this day (default: today in lifecycle.timeZone); a later day expires and reminds for real,\n' +
        'but the daily ticks before it still run (docs/lifecycle.md)',
      lifecycleDayOption('run'),
    )
    .option('--pipeline <name...>', 'only these pipelines')
    .option('--json', 'print JSON on stdout')
    .option('-c, --config <file>', 'config file')
    .action(async (opts: { today?: string; pipeline?: string[]; json?: boolean }, cmd: Command) => {
      const config = await loadCommandConfig(cmd);
      const summary = await runLifecycle(config, {
        logger: commandLogger(config),
        ...(opts.today === undefined ? {} : { today: opts.today }),
        ...(opts.pipeline === undefined ? {} : { pipelines: opts.pipeline }),
      });
      if (opts.json) {
        const pipelines = summary.pipelines.map(({ created, ...p }) => ({
          ...p,
          versionIds: created.map((c) => c.versionId),
          ...(summary.delivery[p.pipeline] ?? {}),
        }));
        process.stdout.write(
          `${terminalJson({ today: summary.today, timeZone: summary.timeZone, pipelines, ...(summary.reminders ? { reminders: summary.reminders } : {}) }, 2)}\n`,
        );
        return;
      }
      process.stdout.write(`lifecycle tick of ${summary.today} (${summary.timeZone})\n`);
      for (const p of summary.pipelines) {
        const d = summary.delivery[p.pipeline];
        const where = d
          ? Object.entries(d.delivered)
              .map(([t, n]) => `${terminalLine(t)} ${n}`)
              .join(', ')
          : '';
        const line =
          p.outcome === 'off'
            ? 'derived expiry off'
            : p.outcome === 'done-today'
              ? `already ticked today${d ? ` (that tick's versions: signed ${d.signed}${where ? `, delivered ${where}` : ''})` : ''}`
              : `expired ${p.expired}${d ? `, signed ${d.signed}${where ? `, delivered ${where}` : ''}` : ''}`;
        process.stdout.write(`  ${terminalLine(p.pipeline)}: ${line}\n`);
      }
      const r = summary.reminders;
      if (
        r &&
        (r.due > 0 || r.sent > 0 || r.skipped > 0 || r.dropped > 0 || r.failed > 0 || r.deferred > 0)
      ) {
        const deferred = r.deferred > 0 ? `, ${r.deferred} failed earlier today (sent again tomorrow)` : '';
        process.stdout.write(
          `  expiry reminders: ${r.sent} sent, ${r.skipped} skipped, ${r.dropped} dropped, ${r.failed} still pending${deferred}\n`,
        );
      }
    });

  // `lifecycle reminders`: the expiry reminders sent and due (registered beside this command).
  registerLifecycleRemindersCommand(lifecycle);
}
