import type { Command } from 'commander';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { type RunSummary, runPipelines } from '../../pipelines/run-pipelines.js';
import { commandLogger, loadCommandConfig } from '../context.js';
import { EXIT_ATTENTION, EXIT_FAILED } from '../errors.js';
import { commandFinished } from '../linger.js';
import { progressReporter, summaryJson, summaryTable } from '../summary.js';

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
          throw new LicbridgeError(ErrorCodes.USAGE, 'run: name a pipeline or pass --all');
        }
        const logger = commandLogger(config);
        const progress = opts.json ? undefined : progressReporter();
        const runs = await runPipelines(config, {
          pipelines: names,
          full: Boolean(opts.full),
          logger,
          ...(progress ? { onProgress: (s) => progress.update(s) } : {}),
        });
        progress?.done();
        process.stdout.write(opts.json ? `${summaryJson(runs)}\n` : summaryTable(runs));
        const code = runExitCode(runs);
        if (code !== undefined) process.exitCode = code;
        commandFinished('run', logger);
      },
    );
}

/** The exit code of `licbridge run` after its runs settled; undefined for 0 (docs/getting-started.md). */
export function runExitCode(runs: readonly RunSummary[]): number | undefined {
  if (runs.some((r) => r.state === 'failed')) return EXIT_FAILED;
  // Done, but versions a platform refused for good wait in the dead letters for a person.
  if (runs.some((r) => Object.values(r.deadLettered).some((n) => n > 0))) return EXIT_ATTENTION;
  // Done, but the check that source and ledger agree could not be made: nothing proves the run.
  if (runs.some((r) => r.check !== undefined && 'error' in r.check)) return EXIT_ATTENTION;
  return undefined;
}
