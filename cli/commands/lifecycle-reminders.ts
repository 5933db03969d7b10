/**
 * `licbridge lifecycle reminders [--json]`: the expiry reminders sent (and pending, skipped,
 * dropped) and those due today (docs/lifecycle.md, "Reminders"). Never shows a contact or a
 * holder name: the ledger row of a reminder holds neither.
 */
import type { Command } from 'commander';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { parseIsoDate } from '../../core/local-date.js';
import { terminalJson, terminalLine } from '../../core/terminal-text.js';
import type { ReminderState } from '../../ledger/reminders.js';
import { listReminders } from '../../pipelines/lifecycle/reminder-list.js';
import { commandLogger, loadCommandConfig } from '../context.js';

const STATES: readonly ReminderState[] = ['pending', 'sent', 'skipped', 'dropped'];

/**
 * The `--today` of the lifecycle commands, checked as commander reads it: a value that is no day
 * otherwise judged nothing (a listing "as of 2026-3-1" with nothing due) instead of failing.
 */
export function lifecycleDayOption(command: string): (value: string) => string {
  return (v) => {
    if (!parseIsoDate(v))
      throw new LicbridgeError(
        ErrorCodes.USAGE,
        `lifecycle ${command}: expected \`--today\` as a day YYYY-MM-DD, got \`${terminalLine(v)}\``,
      );
    return v;
  };
}

interface Opts {
  today?: string;
  state?: string;
  pipeline?: string;
  limit: string;
  json?: boolean;
}

export function registerLifecycleRemindersCommand(lifecycle: Command): void {
  lifecycle
    .command('reminders')
    .description('expiry reminders: what was sent (or is pending, skipped, dropped) and what is due today')
    .option(
      '--today <YYYY-MM-DD>',
      'judge what is due as of this day (default: today in lifecycle.timeZone)',
      lifecycleDayOption('reminders'),
    )
    .option('--state <state>', `only reminders in this state: ${STATES.join(', ')}`)
    .option('--pipeline <name>', 'only this pipeline')
    .option('--limit <n>', 'at most this many of each list', '1000')
    .option('--json', 'print JSON on stdout')
    .option('-c, --config <file>', 'config file')
    .action(async (opts: Opts, cmd: Command) => {
      if (opts.state !== undefined && !(STATES as readonly string[]).includes(opts.state)) {
        throw new LicbridgeError(
          ErrorCodes.USAGE,
          `lifecycle reminders: expected \`--state\` to be one of ${STATES.join(', ')}, got \`${opts.state}\``,
        );
      }
      const limit = Number(opts.limit);
      if (!/^\d+$/.test(opts.limit) || !Number.isSafeInteger(limit) || limit < 1) {
        throw new LicbridgeError(
          ErrorCodes.USAGE,
          `lifecycle reminders: expected \`--limit\` to be a whole number ≥ 1, got \`${opts.limit}\``,
        );
      }
      const config = await loadCommandConfig(cmd);
      // A mistyped name listed nothing and exited 0, as if no reminder were due.
      // Own names only: `in` also found `toString`, which listed nothing and exited 0.
      if (opts.pipeline !== undefined && !Object.hasOwn(config.pipelines, opts.pipeline)) {
        throw new LicbridgeError(
          ErrorCodes.USAGE,
          `lifecycle reminders: unknown \`--pipeline\` \`${opts.pipeline}\`; the config's pipelines: ${Object.keys(config.pipelines).join(', ')}`,
        );
      }
      const list = await listReminders(config, commandLogger(config), {
        limit,
        ...(opts.today === undefined ? {} : { today: opts.today }),
        ...(opts.state === undefined ? {} : { state: opts.state as ReminderState }),
        ...(opts.pipeline === undefined ? {} : { pipeline: opts.pipeline }),
      });
      if (opts.json) {
        const reminders = list.reminders.map((r) => ({
          ...r,
          createdAt: r.createdAt.toISOString(),
          updatedAt: r.updatedAt.toISOString(),
          sentAt: r.sentAt?.toISOString() ?? null,
        }));
        process.stdout.write(`${terminalJson({ ...list, reminders }, 2)}\n`);
        return;
      }
      const c = list.counts;
      process.stdout.write(
        `expiry reminders as of ${list.today} (${list.timeZone}): ${c.sent} sent, ${c.pending} pending, ${c.skipped} skipped, ${c.dropped} dropped; ${list.dueTotal} due, not yet sent\n`,
      );
      const total = opts.state ? c[opts.state as ReminderState] : c.sent + c.pending + c.skipped + c.dropped;
      if (list.reminders.length < total) {
        process.stdout.write(
          `  the newest ${list.reminders.length} of ${total} listed (\`--state\`, \`--limit\` for others)\n`,
        );
      }
      for (const r of list.reminders) {
        const when = r.sentAt ? ` at ${r.sentAt.toISOString()}` : '';
        const why = r.reason ? ` (${terminalLine(r.reason)})` : '';
        process.stdout.write(
          `  ${r.state.padEnd(7)} ${terminalLine(r.licenseId)} v${r.version} ${r.threshold}d before ${r.validTo} via ${terminalLine(r.target)}${when}${why}\n`,
        );
      }
      if (list.due.length < list.dueTotal) {
        process.stdout.write(
          `  the first ${list.due.length} of ${list.dueTotal} due listed (\`--limit\` for more)\n`,
        );
      }
      for (const d of list.due) {
        process.stdout.write(
          `  due     ${terminalLine(d.licenseId)} v${d.version} ${d.threshold}d before ${d.validTo} via ${terminalLine(d.target)} (${d.daysLeft} days left)\n`,
        );
      }
    });
}
