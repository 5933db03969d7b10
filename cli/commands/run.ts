import type { Command } from 'commander';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { commandLogger, loadCommandConfig } from '../context.js';
import { EXIT_ATTENTION, EXIT_FAILED } from '../errors.js';
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
        if (runs.some((r) => r.state === 'failed')) process.exitCode = EXIT_FAILED;
        // Done, but versions a platform refused for good wait in the dead letters for a person.
        else if (runs.some((r) => Object.values(r.deadLettered).some((n) => n > 0))) {
          process.exitCode = EXIT_ATTENTION;
        }
      },
    );
}
