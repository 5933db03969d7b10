import type { Command } from 'commander';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { type RunSummary, runPipelines } from '../../pipelines/run-pipelines.js';
import { RunStopped } from '../../pipelines/run-stop.js';
import { commandLogger, loadCommandConfig } from '../context.js';
import { EXIT_ATTENTION, EXIT_FAILED } from '../errors.js';
import { commandFinished } from '../linger.js';
import { ProgressLine, type ProgressOptions } from '../progress.js';
import { signalExitCode, stopOnNextSignal } from '../signals.js';
import { summaryJson, summaryTable } from '../summary.js';

/**
 * The runs' counts on stderr (../progress.ts): one line rewritten on a terminal, a plain line
 * (`progress: …`) every five seconds otherwise.
 */
export function runProgress(options: ProgressOptions = {}): {
  update(runs: readonly RunSummary[]): void;
  done(): void;
} {
  const line = new ProgressLine(options);
  const text = (runs: readonly RunSummary[]) =>
    runs
      .map((r) => {
        const delivered = Object.entries(r.delivered)
          .map(([t, n]) => `${t} ${n}`)
          .join(', ');
        return `${r.pipeline}: read ${r.read}, created ${r.created}, signed ${r.signed}, delivered ${delivered || '-'}`;
      })
      .join(' | ');
  return {
    update(runs) {
      if (line.due()) line.show(line.terminal ? text(runs) : `progress: ${text(runs)}`);
    },
    done: () => line.end(),
  };
}

export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('run pipelines to completion: extract, sign and deliver, then print a summary')
    .argument('[pipeline]', 'the pipeline to run')
    .option('--all', 'run every pipeline in the config')
    .option('--full', 'read the whole stream from the start (backfill) instead of from the checkpoint')
    .option('--json', 'print only a JSON summary on stdout')
    .option('-c, --config <file>', 'config file')
    .action(
      async (pipeline: string | undefined, opts: { all?: boolean; full?: boolean; json?: boolean }, cmd) => {
        // Both would run every pipeline where one was meant, or one where all were: neither is sure.
        if (opts.all && pipeline !== undefined) {
          throw new LicbridgeError(
            ErrorCodes.USAGE,
            `run: name a pipeline or pass --all, not both (got \`${pipeline}\` and --all)`,
          );
        }
        const config = await loadCommandConfig(cmd);
        const names = opts.all ? Object.keys(config.pipelines) : pipeline ? [pipeline] : [];
        if (names.length === 0) {
          // Told to a command that passed --all, "pass --all" sent its reader nowhere.
          throw new LicbridgeError(
            ErrorCodes.USAGE,
            opts.all
              ? `run: --all: the config has no pipelines (${config.file})`
              : 'run: name a pipeline or pass --all',
          );
        }
        const logger = commandLogger(config);
        const progress = opts.json ? undefined : runProgress();
        // SIGTERM (systemd, an operator) or SIGINT (a terminal): stop reading, end the runs
        // `abandoned` and let the pipelines go (pipelines/run-stop.ts). A second signal finds no
        // listener and ends the process at once, as Node does by default.
        const { stop, off } = stopOnNextSignal(
          logger,
          // Heard before it is known whether the work was complete: true either way.
          "run: stopping; what is not done is left for the pipelines' next run",
        );
        let runs: RunSummary[];
        try {
          runs = await runPipelines(config, {
            pipelines: names,
            full: Boolean(opts.full),
            logger,
            stop,
            ...(progress ? { onProgress: (s) => progress.update(s) } : {}),
          });
        } catch (error) {
          if (!(error instanceof RunStopped)) throw error;
          progress?.done();
          process.stderr.write(stoppedText(error));
          process.exitCode = signalExitCode(error.signal);
          commandFinished('run', logger);
          return;
        } finally {
          off();
        }
        progress?.done();
        process.stdout.write(opts.json ? `${summaryJson(runs)}\n` : summaryTable(runs));
        // Stopped once the work was done, while the queues were emptied or the check made: the
        // summary stands, and the pipelines' next run works what is left.
        const stoppedBy = stop.aborted ? String(stop.reason) : undefined;
        if (stoppedBy) {
          process.stderr.write(
            `licbridge: run: stopped by ${stoppedBy} after its work was complete; jobs left queued are worked by the next run, and a check not made is \`licbridge reconcile\`'s\n`,
          );
        }
        const code = runExitCode(runs, stoppedBy);
        if (code !== undefined) process.exitCode = code;
        commandFinished('run', logger);
      },
    );
}

/**
 * The exit code of `licbridge run` after its runs settled; undefined for 0 (docs/getting-started.md).
 * Stopped by a signal as it settled (`stoppedBy`), the signal's code, unless a run failed. A light
 * check not made outside the source's `readWindow` (`notMade`) is no failure: 0.
 */
export function runExitCode(runs: readonly RunSummary[], stoppedBy?: string): number | undefined {
  if (runs.some((r) => r.state === 'failed')) return EXIT_FAILED;
  if (stoppedBy !== undefined) return signalExitCode(stoppedBy);
  // Done, but versions a platform refused for good wait in the dead letters for a person.
  if (runs.some((r) => Object.values(r.deadLettered).some((n) => n > 0))) return EXIT_ATTENTION;
  // Done, but the check that source and ledger agree could not be made: nothing proves the run.
  if (runs.some((r) => r.check !== undefined && 'error' in r.check)) return EXIT_ATTENTION;
  // Done, but the check found them apart (keys missed, deleted at the source): a person runs
  // `licbridge reconcile`, as `status` says (exit 3) for the same report. At 0 a run started by cron
  // or a timer saw success, and only the summary's `check:` line told of the gap.
  if (runs.some((r) => r.check !== undefined && 'differences' in r.check && r.check.differences > 0))
    return EXIT_ATTENTION;
  return undefined;
}

/** What a stopped run prints on stderr: each run it left, and what picks it up. */
function stoppedText(stopped: RunStopped): string {
  const runs = stopped.abandoned.map((r) => `  ${r.pipeline}: run ${r.runId} abandoned\n`).join('');
  return `licbridge: run: stopped by ${stopped.signal} before its work was complete; the pipelines are let go, and the next \`licbridge run\` resumes from the checkpoint and finishes what is left unsigned or undelivered\n${runs}`;
}
