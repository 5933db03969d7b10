import type { Command } from 'commander';
import type { Config } from '../../config/types.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { terminalJson, terminalLine, terminalSafe } from '../../core/terminal-text.js';
import { writeOwnerOnlyFile } from '../../pipelines/owner-only-file.js';
import { refuseOutsideReadWindow } from '../../pipelines/read-window.js';
import { applyRepairs } from '../../pipelines/reconcile/apply-repairs.js';
import { htmlReport } from '../../pipelines/reconcile/html-report.js';
import { reconcilePipeline } from '../../pipelines/reconcile/reconcile.js';
import {
  type AppliedRepairs,
  assertMassAllowed,
  awaitedReDeliveries,
  heldReDeliveries,
  massEffect,
  planRepairs,
  type RepairPlan,
  reDeliveryKeys,
} from '../../pipelines/reconcile/repair.js';
import { unreadTargets } from '../../pipelines/reconcile/report-view.js';
import { reconcileSettings, reportOptions } from '../../pipelines/reconcile/settings.js';
import { shownStandIn } from '../../pipelines/reconcile/stand-ins-gone.js';
import { planActs, textPlan, textReport } from '../../pipelines/reconcile/text-report.js';
import type { ReconcileProgress, ReconcileReport } from '../../pipelines/reconcile/types.js';
import { RunStopped } from '../../pipelines/run-stop.js';
import { Runtime } from '../../pipelines/runtime.js';
import { commandLogger, loadCommandConfig } from '../context.js';
import { EXIT_ATTENTION, EXIT_FAILED } from '../errors.js';
import { commandFinished } from '../linger.js';
import { Progress } from '../progress.js';
import { signalExitCode, stopOnNextSignal } from '../signals.js';
import { listed } from '../summary.js';

interface ReconcileOpts {
  target?: string[];
  json?: boolean;
  html?: string;
  repair?: boolean;
  yes?: boolean;
  light?: boolean;
  allowMass?: number;
  resendDuplicates?: boolean;
  lang: string;
}

/** What each phase counts, after the pipeline's name (a platform's phase names its target). */
const PHASES: Record<ReconcileProgress['phase'], (target: string) => string> = {
  ledger: () => 'ledger licenses',
  source: () => 'source rows',
  platform: (target) => `platform ${target} licenses`,
};

/**
 * Progress on stderr (stdout holds the report or `--json`; ../progress.ts): one count per phase of
 * the check, with rate and ETA where the total is known. The previous phase's line is closed when
 * the next begins. `silent` (`--json`): none, as for the other commands.
 */
function progressDisplay(
  pipeline: string,
  silent: boolean,
): {
  onProgress(p: ReconcileProgress): void;
  end(): void;
} {
  let current: { key: string; progress: Progress } | undefined;
  const end = () => {
    current?.progress.finish();
    current = undefined;
  };
  return {
    onProgress(p) {
      const key = `${p.phase}:${p.target ?? ''}`;
      if (current?.key !== key) {
        end();
        const label = `reconcile ${pipeline}: ${PHASES[p.phase](p.target ?? '')}`;
        current = { key, progress: new Progress(label, p.total, { silent }) };
      }
      if (p.total !== undefined) current.progress.setTotal(p.total);
      current.progress.set(p.done);
    },
    end,
  };
}

/**
 * The printed JSON: everything but the unmasked id list used for repair planning, with the stand-in
 * keys shown as the text report shows them (an export file's name masked by shape).
 */
export function publicJson(r: ReconcileReport): Omit<ReconcileReport, 'all'> {
  const { all: _all, ...rest } = r;
  return rest.standInsNotSeen ? { ...rest, standInsNotSeen: rest.standInsNotSeen.map(shownStandIn) } : rest;
}

export function registerReconcileCommand(program: Command): void {
  program
    .command('reconcile')
    .description('compare source ⇄ ledger ⇄ each platform, report every difference, and repair on request')
    .argument('[pipeline]', 'the pipeline to check (default: every pipeline)')
    .option(
      '--target <name...>',
      'targets of the pipeline to compare with (default: every one); the others are reported as not compared',
    )
    .option('--json', 'print the report as JSON on stdout')
    .option('--html <file>', 'also write a self-contained HTML report to this file')
    .option('--light', 'counts and key sets only: no mapping, no platform calls')
    .option('--repair', 'show the repair plan (re-deliver, revoke, re-read); apply it with --yes')
    .option('--yes', 'apply the repair plan, then check again')
    .option(
      '--allow-mass <count>',
      'apply a plan that revokes, cancels or re-delivers more than `reconcile.maxRepairShare` of the licenses: name its exact count',
      (v: string) => {
        const n = Number(v);
        // Digits only: Number() takes an empty value as 0, and `1e3` and `0x10` as numbers.
        if (!/^\d+$/.test(v) || !Number.isSafeInteger(n)) {
          throw new LicbridgeError(
            ErrorCodes.USAGE,
            `reconcile: expected \`--allow-mass\` to be a whole number, got \`${terminalLine(v)}\``,
          );
        }
        return n;
      },
    )
    .option(
      '--resend-duplicates',
      'with --repair --yes: send again the re-deliveries an earlier repair held back as answered duplicates',
    )
    .option('--lang <lang>', 'language of the terminal and HTML report: zh (Chinese) or en', 'zh')
    .option('-c, --config <file>', 'config file')
    .action(async (pipeline: string | undefined, opts: ReconcileOpts, cmd: Command) => {
      if (opts.lang !== 'zh' && opts.lang !== 'en') {
        throw new LicbridgeError(
          ErrorCodes.USAGE,
          `reconcile: expected \`--lang\` to be zh or en, got \`${terminalLine(opts.lang)}\``,
        );
      }
      // A light check asks no platform: a target named with it would read as compared.
      if (opts.light && opts.target)
        throw new LicbridgeError(
          ErrorCodes.USAGE,
          'reconcile: --light compares counts and key sets only and asks no platform; --target names the platforms a full check compares with: drop one of them',
        );
      const config = await loadCommandConfig(cmd);
      const logger = commandLogger(config);
      if (!pipeline && Object.keys(config.pipelines).length === 0)
        throw new LicbridgeError(ErrorCodes.USAGE, 'reconcile: the config has no pipelines');
      // Refused here, before any pipeline is checked, stored or repaired.
      const checks = pipelinesToCheck(config.pipelines, pipeline, opts.target);
      const names = checks.map((c) => c.name);
      // Every pipeline: one whose source is outside its read window is refused before any is
      // checked, not when its turn comes, after the ones before it were stored and repaired.
      if (!pipeline) refuseClosedWindows(config, names, new Date());
      if (opts.yes && !opts.repair)
        throw new LicbridgeError(ErrorCodes.USAGE, 'reconcile: --yes applies a repair; add --repair');
      if (opts.resendDuplicates && !opts.yes)
        throw new LicbridgeError(
          ErrorCodes.USAGE,
          'reconcile: --resend-duplicates sends re-deliveries again; add --repair --yes',
        );
      const rt = new Runtime(config, logger);
      const words = reportOptions(reconcileSettings(rt), opts.lang);
      const out: unknown[] = [];
      const finals: ReconcileReport[] = [];
      let complete = false;
      try {
        for (const { name, targets } of checks) {
          const check = async () => {
            const display = progressDisplay(name, opts.json === true);
            try {
              return await reconcilePipeline(rt, {
                pipeline: name,
                mode: opts.light ? 'light' : 'full',
                ...(targets ? { targets } : {}),
                onProgress: display.onProgress,
              });
            } finally {
              display.end();
            }
          };
          let report = await check();
          const entry: Record<string, unknown> = { report: publicJson(report) };
          // Keys in a report come from sources and platforms: shown as plain text.
          if (!opts.json) process.stdout.write(terminalSafe(textReport(report, words)));
          if (opts.repair && report.differences > 0) {
            const plan = planRepairs(rt, report);
            // Held back by an earlier repair, they are not sent unless asked to: they change
            // nothing at the platform, and the guard does not count them.
            const keys = reDeliveryKeys(plan);
            const held = opts.resendDuplicates ? [] : await heldReDeliveries(rt, keys);
            // Under the platform's review, they are not sent either (with --resend-duplicates too).
            const awaiting = await awaitedReDeliveries(rt, keys);
            const mass = massEffect(rt, plan, report, new Set([...held, ...awaiting]));
            entry.plan = {
              byAction: plan.byAction,
              ...(held.length > 0 ? { heldDuplicates: held } : {}),
              ...(awaiting.length > 0 ? { awaitingPlatform: awaiting } : {}),
              ...(mass ? { massEffect: mass } : {}),
            };
            if (!opts.json)
              process.stdout.write(
                terminalSafe(textPlan(plan, words) + heldPlanLine(held) + awaitingPlanLine(awaiting)),
              );
            if (mass && !opts.json && !opts.yes) {
              process.stdout.write(
                `this plan would touch ${mass.count} of ${mass.total} licenses, above reconcile.maxRepairShare: check the source first; applying it needs --allow-mass ${mass.count}\n`,
              );
            }
            if (opts.yes) {
              // Stops before anything is written: the whole plan, or nothing.
              assertMassAllowed(mass, opts.allowMass, name);
              const applied = await applyStoppable(rt, plan, logger, opts.resendDuplicates === true);
              if (applied === undefined) return;
              entry.applied = applied;
              if (!opts.json && applied.duplicates.length > 0)
                process.stdout.write(
                  terminalSafe(duplicatesLine(applied.duplicates, applied.heldDuplicates)),
                );
              report = await check();
              entry.after = publicJson(report);
              if (!opts.json)
                process.stdout.write(terminalSafe(`after repair:\n${textReport(report, words)}`));
            } else if (!opts.json && planActs(plan)) {
              // A plan of flags only changes nothing when applied: its hints above say what would.
              process.stdout.write('nothing changed; run again with --repair --yes to apply this plan\n');
            }
          }
          if (opts.html) {
            const file = names.length > 1 ? pipelineHtmlFile(opts.html, name) : opts.html;
            // Owner-only from its first byte, like the ledger: it names licenses and holders' records.
            await writeOwnerOnlyFile(file, htmlReport(report, words), 'reconcile');
            // The path the operator typed: shown inert, on one line (the file keeps the name as given).
            if (!opts.json) process.stdout.write(`HTML report: ${terminalLine(file)}\n`);
          }
          finals.push(report);
          out.push(entry);
        }
        complete = true;
      } finally {
        await rt.close();
        // Failed or stopped part-way: the entries of the pipelines done before, as the text showed
        // each (their reports stored, their repairs applied); the failure follows as ever.
        if (opts.json && !complete && out.length > 0) process.stdout.write(`${terminalJson(out)}\n`);
      }
      if (opts.json) process.stdout.write(`${terminalJson(names.length === 1 ? out[0] : out)}\n`);
      const code = reconcileExitCode(finals);
      if (code !== undefined) process.exitCode = code;
    });
}

/**
 * A plan applied, stopped by SIGTERM or SIGINT as `licbridge run` is: the repair ends its run
 * `abandoned` and lets the pipeline go (pipelines/run-stop.ts), the command says so and exits with
 * 128 + the signal's number; undefined then. A second signal ends the process at once. Stopped or
 * given up (its queues silent after a Redis outage), its process ends once it returns (cli/linger.ts).
 */
async function applyStoppable(
  rt: Runtime,
  plan: RepairPlan,
  logger: Logger,
  resendDuplicates: boolean,
): Promise<AppliedRepairs | undefined> {
  const { stop, off } = stopOnNextSignal(
    logger,
    'reconcile: stopping the repair; its run is left for the next run to finish',
  );
  try {
    return await applyRepairs(rt, plan, { logger, resendDuplicates, stop });
  } catch (error) {
    if (!(error instanceof RunStopped)) throw error;
    const runs = error.abandoned.map((r) => `  ${r.pipeline}: run ${r.runId} abandoned\n`).join('');
    process.stderr.write(
      `licbridge: reconcile: repair stopped by ${error.signal} before its work was complete; the pipeline is let go, and the next \`licbridge run\` finishes what is left unsigned or undelivered\n${runs}`,
    );
    process.exitCode = signalExitCode(error.signal);
    return undefined;
  } finally {
    off();
    commandFinished('reconcile', logger);
  }
}

/**
 * Re-deliveries the platform answered as duplicates: not repaired (pipelines/reconcile/repair-duplicates.ts),
 * `held` of them by an earlier repair and not sent this time. None is sent again until `--resend-duplicates`.
 */
export function duplicatesLine(keys: readonly string[], held: readonly string[] = []): string {
  const one = keys.length === 1;
  const heldNote =
    held.length === 0
      ? ''
      : held.length === keys.length
        ? `; held back since an earlier repair, ${one ? 'it was' : 'they were'} not sent again`
        : `; ${held.length} held back since an earlier repair, not sent again`;
  return `repair: ${keys.length} re-deliver${one ? 'y' : 'ies'} answered as duplicate${one ? '' : 's'}, not repaired: the platform accepted ${one ? 'this key' : 'these keys'} yet shows an older version, and sending the same key again cannot change that; a person must look at the platform (${listed(keys, 10)})${heldNote}. Once the platform is put right, or to ask it again, repair with --resend-duplicates\n`;
}

/** The plan's re-deliveries the platform answered `submitted` and still reviews: named, not sent. */
export function awaitingPlanLine(awaiting: readonly string[]): string {
  if (awaiting.length === 0) return '';
  const one = awaiting.length === 1;
  return `of these, ${awaiting.length} re-deliver${one ? 'y awaits' : 'ies await'} the platform's review (answered submitted): applied, ${one ? 'it is' : 'they are'} named, not sent, and not counted against reconcile.maxRepairShare; ${one ? 'its' : 'their'} deliver job asks for the verdict (${listed(awaiting, 10)})\n`;
}

/** The plan's re-deliveries an earlier repair held back as answered duplicates: named, not sent. */
export function heldPlanLine(held: readonly string[]): string {
  if (held.length === 0) return '';
  const one = held.length === 1;
  return `of these, ${held.length} re-deliver${one ? 'y was' : 'ies were'} held back by an earlier repair as answered duplicate${one ? '' : 's'}: applied, ${one ? 'it is' : 'they are'} named, not sent, and not counted against reconcile.maxRepairShare; --resend-duplicates sends ${one ? 'it' : 'them'} again (${listed(held, 10)})\n`;
}

/**
 * The pipelines a command checks, each with the targets `--target` names among its own. Without a
 * pipeline named, `--target` picks the pipelines that deliver to one of its targets: another
 * pipeline has nothing to compare there (and `reconcilePipeline` would refuse it, after the ones
 * before it were checked, stored and repaired). A named target no pipeline delivers to is refused,
 * as is a named pipeline the config does not have.
 */
export function pipelinesToCheck(
  pipelines: Readonly<Record<string, { readonly targets: readonly string[] }>>,
  pipeline: string | undefined,
  wanted: readonly string[] | undefined,
): { name: string; targets?: readonly string[] }[] {
  if (pipeline !== undefined) {
    // Refused before the ledger is opened: the check found a mistyped name only beside opening
    // (and migrating) it. Own names only: `pipelines` may be a plain object, where `toString` is found.
    if (!Object.hasOwn(pipelines, pipeline)) {
      throw new LicbridgeError(
        ErrorCodes.USAGE,
        `reconcile: unknown pipeline \`${terminalLine(pipeline)}\`; the config's pipelines: ${Object.keys(pipelines).join(', ') || 'none'}`,
      );
    }
    // reconcilePipeline checks its targets against `--target` before it reads.
    return [{ name: pipeline, ...(wanted ? { targets: wanted } : {}) }];
  }
  const all = Object.entries(pipelines);
  if (!wanted) return all.map(([name]) => ({ name }));
  const delivered = new Set(all.flatMap(([, p]) => p.targets));
  const nowhere = [...new Set(wanted)].filter((t) => !delivered.has(t));
  if (nowhere.length > 0) {
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `reconcile: expected \`--target\` to name targets a pipeline delivers to (${[...delivered].sort().join(', ') || 'none'}), got \`${nowhere.join(', ')}\``,
    );
  }
  return all.flatMap(([name, p]) => {
    const targets = wanted.filter((t) => p.targets.includes(t));
    return targets.length > 0 ? [{ name, targets }] : [];
  });
}

/**
 * Refuses the check of several pipelines when the source of one of them is outside its
 * `readWindow` now, naming that pipeline (as its own check would refuse it, pipelines/read-window.ts).
 */
function refuseClosedWindows(config: Readonly<Config>, names: readonly string[], now: Date): void {
  for (const name of names) {
    const source = config.pipelines[name]?.source;
    if (source !== undefined) refuseOutsideReadWindow(config, `reconcile ${name}`, source, now);
  }
}

/**
 * The HTML report of one of several pipelines: `FILE-<pipeline>.html` beside `--html FILE.html`,
 * the extension kept as the user wrote it. Matched in any case: `report.HTML` (a Windows habit)
 * gave `report.HTML-food`, a file no browser opens as HTML.
 */
export function pipelineHtmlFile(file: string, pipeline: string): string {
  return file.replace(/(\.html?)?$/i, `-${pipeline}$1`);
}

/**
 * The exit status of the reports a command ends with (after a repair, the check run again): 1 when
 * a difference remains; 3 when none was found but a target could not be asked (a kind with neither
 * listing nor lookup) — nothing is known of that side, so a script must not read it as agreement;
 * else none (0).
 */
export function reconcileExitCode(reports: readonly ReconcileReport[]): number | undefined {
  if (reports.some((r) => r.differences > 0)) return EXIT_FAILED;
  if (reports.some((r) => unreadTargets(r).length > 0)) return EXIT_ATTENTION;
  return undefined;
}
