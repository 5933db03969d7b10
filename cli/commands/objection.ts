/**
 * `licbridge objection open|list|resolve`: objections a using unit raises against a license
 * (rules art. 16), checked within `deadlines.objectionWorkingDays` working days. Every step is in
 * the audit chain; `licbridge status` exits 3 while one is overdue. An uphold that leaves the
 * objection open (no correction at the source yet, or not accepted everywhere) exits 3: it ran,
 * and a person has to act before resolving again.
 */
import type { Command } from 'commander';
import type { Config } from '../../config/types.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { parseIsoDate } from '../../core/local-date.js';
import type { Logger } from '../../core/logger.js';
import { terminalJson, terminalLine, terminalSafe } from '../../core/terminal-text.js';
import type { StoredObjection } from '../../ledger/objections.js';
import { ObjectionStaysOpen } from '../../pipelines/lifecycle/objection-uphold.js';
import {
  listObjectionsFor,
  type ObjectionView,
  openObjectionFor,
  rejectObjectionFor,
  upholdObjectionFor,
} from '../../pipelines/lifecycle/objections.js';
import { RunStopped } from '../../pipelines/run-stop.js';
import { commandLogger, loadCommandConfig } from '../context.js';
import { EXIT_ATTENTION } from '../errors.js';
import { commandFinished } from '../linger.js';
import { signalExitCode, stopOnNextSignal } from '../signals.js';

/** An uphold held back: says why on stderr (and the open objection with --json), exit 3. */
async function upholding(
  work: Promise<StoredObjection>,
  json: boolean,
): Promise<StoredObjection | undefined> {
  try {
    return await work;
  } catch (e) {
    if (!(e instanceof ObjectionStaysOpen)) throw e;
    // The message is licbridge's own, of ids and target names: no row data to mask.
    process.stderr.write(terminalSafe(`licbridge: ${e.message}\n`));
    if (json) process.stdout.write(`${terminalJson({ ...jsonOf(e.objection), stayedOpen: e.message }, 2)}\n`);
    process.exitCode = EXIT_ATTENTION;
    return undefined;
  }
}

/**
 * An uphold stopped by SIGTERM or SIGINT as a repair is (cli/commands/reconcile.ts): its run ends
 * `abandoned`, the pipeline is let go, the objection stays open with the attempt audited; the
 * command says so and exits with 128 + the signal's number (undefined then). A second signal ends
 * the process at once.
 */
async function upholdStoppable(
  config: Readonly<Config>,
  id: number,
  note: string,
  logger: Logger,
  json: boolean,
): Promise<StoredObjection | undefined> {
  const { stop, off } = stopOnNextSignal(logger, 'objection: stopping the uphold; the objection stays open');
  try {
    return await upholding(upholdObjectionFor(config, id, note, logger, stop), json);
  } catch (error) {
    if (!(error instanceof RunStopped)) throw error;
    process.stderr.write(
      `licbridge: objection: ${id}: uphold stopped by ${error.signal} before its work was complete; the objection stays open (the attempt is in the audit chain), the pipeline is let go, and the next \`licbridge run\` finishes what is left unsigned or undelivered; resolve again to decide\n`,
    );
    process.exitCode = signalExitCode(error.signal);
    return undefined;
  } finally {
    off();
    commandFinished('objection', logger);
  }
}

function dayOption(v: string): string {
  if (!parseIsoDate(v))
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `objection: expected \`--today\` as YYYY-MM-DD, got \`${terminalLine(v)}\``,
    );
  return v;
}

function idOf(v: string): number {
  const n = Number(v);
  // Digits only: `1e1` resolved objection 10 and `0x10` objection 16.
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(n) || n < 1)
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `objection: expected an objection id (a whole number), got \`${v}\``,
    );
  return n;
}

function jsonOf(o: StoredObjection | ObjectionView): Record<string, unknown> {
  return { ...o, openedAt: o.openedAt.toISOString(), resolvedAt: o.resolvedAt?.toISOString() ?? null };
}

/** Says which years a due day was counted Monday to Friday in (no holiday arrangement for them). */
function guessed(years: readonly number[]): string {
  return years.length === 0
    ? ''
    : ` (no holiday arrangement for ${years.join(', ')} in the calendar: counted Monday to Friday until it is added under \`calendar.years\`)`;
}

/** Says that an upheld objection's correction was taken back by a later version. */
function undone(o: ObjectionView): string {
  return o.correctionUndoneBy === null
    ? ''
    : `, correction ${o.correctedVersion} undone by version ${o.correctionUndoneBy}: the source gives the objected content again`;
}

/** One line per objection; the unit's and operator's words go through terminalLine. */
function line(o: ObjectionView): string {
  const late = o.overdueBy > 0 ? `, overdue by ${o.overdueBy} working day(s)` : '';
  const outcome =
    o.state === 'open'
      ? `due ${o.dueOn}${late}${guessed(o.yearsWithoutArrangement)}`
      : `${o.state} ${o.resolvedAt?.toISOString() ?? ''}${undone(o)}`;
  return `${o.objectionId}\t${o.licenseId}\t${o.state}\t${o.openedAt.toISOString()}\t${outcome}\t${terminalLine(o.unit)}: ${terminalLine(o.reason).slice(0, 120)}`;
}

export function registerObjectionCommand(program: Command): void {
  const obj = program
    .command('objection')
    .description(
      'objections to licenses (rules art. 16): open one, list them, uphold (correct the license) or reject it',
    );

  obj
    .command('open')
    .description('record an objection a using unit raised against a license')
    .argument('<licenseId>', 'the license id (identifier without version and check character)')
    .requiredOption('--unit <unit>', 'the unit that raised it')
    .requiredOption('--reason <reason>', 'what the unit says is wrong')
    .option('--evidence <file>', 'a file the unit gave; only its SM3 hash and size are kept')
    .option('--json', 'print JSON on stdout')
    .option('-c, --config <file>', 'config file')
    .action(
      async (
        licenseId: string,
        opts: { unit: string; reason: string; evidence?: string; json?: boolean },
        cmd: Command,
      ) => {
        const config = await loadCommandConfig(cmd);
        const {
          objection: o,
          dueOn,
          yearsWithoutArrangement,
        } = await openObjectionFor(config, {
          licenseId,
          unit: opts.unit,
          reason: opts.reason,
          ...(opts.evidence ? { evidenceFile: opts.evidence } : {}),
        });
        if (opts.json)
          process.stdout.write(`${terminalJson({ ...jsonOf(o), dueOn, yearsWithoutArrangement }, 2)}\n`);
        else {
          const evidence = o.evidence ? ` (evidence: ${o.evidence.size} bytes, SM3 ${o.evidence.sm3})` : '';
          process.stdout.write(
            `objection ${o.objectionId} opened against license ${o.licenseId} version ${o.versionAtOpen}${evidence}; resolve it by ${dueOn}${guessed(yearsWithoutArrangement)}\n`,
          );
        }
      },
    );

  obj
    .command('list')
    .description('list objections, oldest first, with the day each is due')
    .option('--overdue', 'only open objections past their working-day deadline')
    .option('--open', 'only open objections')
    .option(
      '--today <YYYY-MM-DD>',
      'judge lateness as of this day (default: today in lifecycle.timeZone)',
      dayOption,
    )
    .option('--json', 'print JSON on stdout')
    .option('-c, --config <file>', 'config file')
    .action(
      async (opts: { overdue?: boolean; open?: boolean; today?: string; json?: boolean }, cmd: Command) => {
        const config = await loadCommandConfig(cmd);
        const list = await listObjectionsFor(config, {
          ...(opts.overdue ? { overdue: true } : {}),
          ...(opts.open ? { state: 'open' as const } : {}),
          ...(opts.today ? { today: opts.today } : {}),
        });
        if (opts.json) process.stdout.write(`${terminalJson(list.map(jsonOf), 2)}\n`);
        else {
          process.stdout.write('id\tlicense\tstate\topened\tdue\tunit: reason\n');
          for (const o of list) process.stdout.write(`${line(o)}\n`);
          process.stdout.write(`${list.length} objection(s)\n`);
        }
      },
    );

  obj
    .command('resolve')
    .description(
      'resolve an objection: --upheld re-reads the license from the source and delivers the corrected version; ' +
        '--rejected records the reply',
    )
    .argument('<id>', 'the objection id', idOf)
    .option('--upheld', 'the objection is right: the corrected source row goes out as a new version')
    .option('--rejected', 'the objection is not right: the note is the reply')
    .requiredOption('--note <note>', 'what was found, or the reply to the unit')
    .option('--json', 'print JSON on stdout')
    .option('-c, --config <file>', 'config file')
    .action(
      async (
        id: number,
        opts: { upheld?: boolean; rejected?: boolean; note: string; json?: boolean },
        cmd: Command,
      ) => {
        if (Boolean(opts.upheld) === Boolean(opts.rejected)) {
          throw new LicbridgeError(
            ErrorCodes.USAGE,
            'objection resolve: give exactly one of `--upheld` and `--rejected`',
          );
        }
        const config = await loadCommandConfig(cmd);
        // Rejecting needs only the ledger; upholding re-reads the source through the queues.
        const o = opts.rejected
          ? await rejectObjectionFor(config, id, opts.note)
          : await upholdStoppable(config, id, opts.note, commandLogger(config), Boolean(opts.json));
        if (!o) return;
        if (opts.json) process.stdout.write(`${terminalJson(jsonOf(o), 2)}\n`);
        else {
          process.stdout.write(
            o.state === 'upheld'
              ? `objection ${o.objectionId} upheld: license ${o.licenseId} version ${o.correctedVersion} carries the correction\n`
              : `objection ${o.objectionId} rejected; the reply is recorded\n`,
          );
        }
      },
    );
}
