/**
 * `licbridge sign files --seal <seal> [--store <dir>]`: sealed OFD license files for every ledger
 * version that has none (docs/ofd.md). Resumable and idempotent: a rerun issues only what the
 * ledger does not list; SIGINT/SIGTERM finish the page in flight and stop. The store is
 * `licenseFiles.store` of the config unless `--store` names another.
 */
import type { Command } from 'commander';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { type IssueFilesSummary, issueFilesForConfig } from '../../pipelines/issue-license-files.js';
import { licenseFilesSettings, storeRoot } from '../../pipelines/license-file-store.js';
import { commandLogger, loadCommandConfig } from '../context.js';

function positive(name: string, value: string | undefined, fallback?: number): number | undefined {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `sign files: expected \`${name}\` to be a positive integer, got \`${value}\``,
    );
  }
  return n;
}

export function registerSignFilesCommand(sign: Command): void {
  sign
    .command('files')
    .description('issue a sealed OFD license file for every ledger version that has none (resumable)')
    .requiredOption('--seal <seal>', 'the seal of the config (`seals:`) to seal the files with')
    .option(
      '--store <dir>',
      'root folder of the file store (files go to <type>/<license>/<version>.ofd); default `licenseFiles.store` of the config',
    )
    .option('--pipeline <name>', 'only this pipeline')
    .option('--limit <n>', 'stop after n files')
    .option(
      '--page-size <n>',
      'files issued and recorded per ledger transaction; default `licenseFiles.pageSize` of the config',
    )
    .option('--json', 'print only a JSON summary on stdout')
    .option('-c, --config <file>', 'config file')
    .action(
      async (
        opts: {
          seal: string;
          store?: string;
          pipeline?: string;
          limit?: string;
          pageSize?: string;
          json?: boolean;
        },
        cmd: Command,
      ) => {
        const config = await loadCommandConfig(cmd);
        const logger = commandLogger(config);
        if (opts.pipeline !== undefined && !config.pipelines[opts.pipeline]) {
          throw new LicbridgeError(
            ErrorCodes.USAGE,
            `sign files: no pipeline \`${opts.pipeline}\` in the config`,
          );
        }
        const root = storeRoot(config, opts.store, 'sign files');
        const limit = positive('--limit', opts.limit);
        const pageSize = positive(
          '--page-size',
          opts.pageSize,
          licenseFilesSettings(config).pageSize,
        ) as number;
        let stop = false;
        const onSignal = () => {
          stop = true;
        };
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
        let summary: IssueFilesSummary;
        try {
          summary = await issueFilesForConfig(
            config,
            {
              seal: opts.seal,
              storeRoot: root,
              pageSize,
              stopping: () => stop,
              ...(opts.pipeline !== undefined ? { pipeline: opts.pipeline } : {}),
              ...(limit !== undefined ? { limit } : {}),
              onPage: (n) => {
                if (!opts.json) process.stderr.write(`sign files: ${n} file(s) issued\n`);
              },
            },
            logger,
          );
        } finally {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
        }
        if (opts.json) process.stdout.write(`${JSON.stringify({ ...summary, stopped: stop })}\n`);
        else {
          process.stdout.write(
            `sign files: ${summary.issued} file(s) issued (${summary.bytes} bytes)${summary.withoutTemplate > 0 ? `; ${summary.withoutTemplate} version(s) skipped: their license type has no face template` : ''}${stop ? '; stopped, rerun to continue' : ''}\n`,
          );
        }
      },
    );
}
