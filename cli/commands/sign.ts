import type { Command } from 'commander';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { terminalJson, terminalLine } from '../../core/terminal-text.js';
import { type BackfillResult, pipelinesToSign, signBackfill } from '../../pipelines/batch-sign/backfill.js';
import type { PassSummary } from '../../pipelines/batch-sign/pass.js';
import { resignRequest, resignVersions } from '../../pipelines/batch-sign/resign.js';
import type { IssueFilesSummary } from '../../pipelines/issue-license-files.js';
import { licenseFilesSettings, storeRoot } from '../../pipelines/license-file-store.js';
import { commandLogger, loadCommandConfig } from '../context.js';
import { EXIT_ATTENTION } from '../errors.js';
import { PROGRESS_INTERVAL_HELP, Progress, ProgressLine, progressIntervalSeconds } from '../progress.js';
import { signalExitCode } from '../signals.js';
import { filesAttentionReport, registerSignFilesCommand, setFilesAttentionExit } from './sign-files.js';

interface CommonOpts {
  json?: boolean;
  limit?: string;
  pageSize?: string;
  progressInterval?: string;
}

function positiveInt(
  name: string,
  value: string | undefined,
  fallback: number | undefined,
): number | undefined {
  if (value === undefined) return fallback;
  const n = Number(value);
  // Digits only: Number() takes `1e3` and `0x10` as numbers.
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) {
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `sign: expected \`${name}\` to be a positive integer, got \`${value}\``,
    );
  }
  return n;
}

/**
 * SIGINT/SIGTERM finish the page in flight, record it and stop: the next run resumes from the
 * ledger. The command then exits with the signal's code (128 + its number), as `licbridge run`
 * does: a script's `sign backfill && …` must not go on as if every version were signed.
 */
function stopFlag(): {
  stopping: () => boolean;
  stoppedBy: () => NodeJS.Signals | undefined;
  dispose: () => void;
} {
  let stop: NodeJS.Signals | undefined;
  const on = (signal: NodeJS.Signals) => {
    stop ??= signal;
  };
  process.once('SIGINT', on);
  process.once('SIGTERM', on);
  return {
    stopping: () => stop !== undefined,
    stoppedBy: () => stop,
    dispose: () => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
    },
  };
}

interface FilesOpts {
  files?: boolean;
  seal?: string;
  store?: string;
  filesPageSize?: string;
}

/**
 * `--files` needs a seal (the store is `--store`, else the config's `licenseFiles.store`); a seal
 * or a store without `--files` would silently do nothing.
 */
function filesRequest(opts: FilesOpts): { seal: string; store?: string } | undefined {
  if (!opts.files) {
    const stray = [opts.seal !== undefined && '--seal', opts.store !== undefined && '--store'].filter(
      Boolean,
    );
    if (stray.length > 0) {
      throw new LicbridgeError(
        ErrorCodes.USAGE,
        `sign backfill: ${stray.join(' and ')} ${stray.length > 1 ? 'go' : 'goes'} with --files (issuing license files): add --files, or leave ${stray.length > 1 ? 'them' : 'it'} out`,
      );
    }
    return undefined;
  }
  if (opts.seal === undefined) {
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      'sign backfill: --files needs --seal <seal> (a seal of the config’s `seals:`)',
    );
  }
  return { seal: opts.seal, ...(opts.store !== undefined ? { store: opts.store } : {}) };
}

/** Issued-file counts on stderr (../progress.ts), and one line at the end. */
function filesProgress(intervalSeconds: number): { page: (issued: number) => void; finish: () => void } {
  const line = new ProgressLine({ intervalSeconds });
  let issued = 0;
  const text = () => {
    const seconds = Math.max(0.001, (line.now() - line.started) / 1000);
    return `sign backfill: ${issued} license file(s) issued, ${Math.round(issued / seconds)}/s`;
  };
  return {
    page(n) {
      issued = n;
      if (line.due()) line.show(text(), { same: String(issued) });
    },
    finish: () => line.end(text(), String(issued)),
  };
}

/**
 * The versions a pass left unsigned because the issuing unit recorded with them is not its
 * signer's, as lines to print: each by license, version, pipeline and unit, then what to do.
 */
function otherUnitReport(command: string, p: PassSummary): string {
  if (p.otherUnit === 0) return '';
  const named = p.otherUnits.map(
    (v) =>
      `  ${terminalLine(v.licenseId)} version ${v.version} (pipeline ${terminalLine(v.pipeline)}): issued by ${terminalLine(v.issuer)}${v.identifierIssuer !== undefined ? `, its license id names ${terminalLine(v.identifierIssuer)}` : ''}\n`,
  );
  const more = p.otherUnit - p.otherUnits.length;
  // One signer a pass, so one unit. What is so, not why: the pipeline's issuer or signer may have
  // changed since the versions were written, or its signer be of another unit than its issuer.
  const unit = p.otherUnits[0]?.signerUnit;
  return [
    `${command}: not signed, these ${p.otherUnit} version(s) of pipeline ${terminalLine(p.pipeline ?? '')}: the issuing unit recorded with each is not signer ${terminalLine(p.signer)}'s${unit !== undefined ? ` (${terminalLine(unit)})` : ''}, and a license is signed by its own unit's signer only\n`,
    ...named,
    ...(more > 0 ? [`  … and ${more} more\n`] : []),
    `${command}: sign them with a signer of the unit named: \`licbridge sign resign --seal <a signer of that unit> --license <license id> --all-versions\`; or, if the pipeline's issuer was changed in error, correct it in the config and run ${command} again\n`,
  ].join('');
}

/** The versions a pass left unsigned for their corrupt stored text, by license and version, then what to do. */
function storedTextReport(command: string, p: PassSummary): string {
  if (p.storedText === 0) return '';
  const more = p.storedText - p.storedTexts.length;
  return [
    `${command}: not signed, these ${p.storedText} version(s): their stored license text is corrupt [LB_STORED_TEXT]\n`,
    ...p.storedTexts.map(
      (v) => `  ${terminalLine(v.licenseId)} version ${v.version}: ${terminalLine(v.problem)}\n`,
    ),
    ...(more > 0 ? [`  … and ${more} more\n`] : []),
    `${command}: restore their text from a backup of the ledger, then run ${command} again\n`,
  ].join('');
}

function report(
  opts: CommonOpts,
  command: string,
  passes: PassSummary[],
  started: number,
  stoppedBy: NodeJS.Signals | undefined,
  files?: { summary: IssueFilesSummary; root: string },
): void {
  const stopped = stoppedBy !== undefined;
  const seconds = (Date.now() - started) / 1000;
  const signed = passes.reduce((a, p) => a + p.signed, 0);
  const remaining = passes.reduce((a, p) => a + p.remaining, 0);
  const rate = seconds > 0 ? Math.round(signed / seconds) : signed;
  setFilesAttentionExit(files?.summary);
  // Versions of another unit wait for a person, as a run's dead letters: the rest was done.
  if (passes.some((p) => p.otherUnit > 0 || p.storedText > 0)) process.exitCode = EXIT_ATTENTION;
  if (stoppedBy !== undefined) process.exitCode = signalExitCode(stoppedBy);
  if (opts.json) {
    process.stdout.write(
      `${terminalJson({ command, signed, remaining, seconds: Number(seconds.toFixed(3)), perSecond: rate, stopped, passes, ...(files ? { files: files.summary } : {}) })}\n`,
    );
    return;
  }
  for (const p of passes) {
    process.stdout.write(
      `${p.pipeline ?? '(selection)'}: signer ${p.signer} (seal ${p.sealId}): signed ${p.signed}, already signed ${p.skipped}${p.otherUnit > 0 ? `, not signed (another issuing unit) ${p.otherUnit}` : ''}${p.storedText > 0 ? `, not signed (stored text corrupt) ${p.storedText}` : ''}, remaining ${p.remaining}\n`,
    );
    process.stdout.write(otherUnitReport(command, p));
    process.stdout.write(storedTextReport(command, p));
  }
  if (files) {
    const f = files.summary;
    process.stdout.write(
      `license files: ${f.issued} issued (${f.bytes} bytes)${f.withoutTemplate > 0 ? `; ${f.withoutTemplate} version(s) skipped: their license type has no face template` : ''}${f.faceOverflow > 0 ? `; ${f.faceOverflow} version(s) not issued: face text does not fit` : ''}${f.otherUnit > 0 ? `; ${f.otherUnit} version(s) not issued: written for another issuing unit` : ''}${f.storedText > 0 ? `; ${f.storedText} version(s) not issued: stored text corrupt` : ''}\n`,
    );
    process.stdout.write(filesAttentionReport('sign backfill', files.root, f));
  }
  process.stdout.write(
    `${command}: ${signed} signature(s) in ${seconds.toFixed(1)} s (${rate}/s)${remaining > 0 ? `, ${remaining} remaining` : ''}${stopped ? ' — stopped early; run again to resume' : ''}\n`,
  );
}

export function registerSignCommand(program: Command): void {
  const sign = program.command('sign').description('batch signing of ledger versions');
  registerSignFilesCommand(sign);

  sign
    .command('backfill')
    .description(
      'sign every ledger version that has no signature by its pipeline’s seal, a version only by a signer of the issuing unit recorded with it (resumable)',
    )
    .option(
      '--pipeline <name>',
      "only this pipeline; with --files, required when the seal's issuing unit cannot be told, and files are issued only for the versions written for the seal's unit, as for sign files",
    )
    .option('--limit <n>', 'stop after n signatures')
    .option('--page-size <n>', 'versions signed and recorded per ledger transaction (default 1000)')
    .option(
      '--files',
      'then issue a sealed OFD license file for every version that has none (needs --seal; the store is --store or `licenseFiles.store`)',
    )
    .option('--seal <seal>', 'with --files: the seal of the config (`seals:`) to seal the files with')
    .option(
      '--store <dir>',
      'with --files: root folder of the file store (<type>/<shelf>/<license>.<version>.ofd); default `licenseFiles.store` of the config',
    )
    .option(
      '--files-page-size <n>',
      'with --files: files issued and recorded per ledger transaction; default `licenseFiles.pageSize` of the config',
    )
    .option('--progress-interval <seconds>', PROGRESS_INTERVAL_HELP)
    .option('--json', 'print only a JSON summary on stdout')
    .option('-c, --config <file>', 'config file')
    .action(async (opts: CommonOpts & FilesOpts & { pipeline?: string }, cmd: Command) => {
      // Flag mistakes are told before the config is read or anything is signed.
      const filesWanted = filesRequest(opts);
      const limit = positiveInt('--limit', opts.limit, undefined);
      const pageSize = positiveInt('--page-size', opts.pageSize, 1000) as number;
      const givenFilesPageSize = positiveInt('--files-page-size', opts.filesPageSize, undefined);
      const interval = progressIntervalSeconds('sign backfill', opts.progressInterval);
      const config = await loadCommandConfig(cmd);
      const logger = commandLogger(config);
      const names = pipelinesToSign(config, opts.pipeline);
      const filesPageSize = givenFilesPageSize ?? licenseFilesSettings(config).pageSize;
      const filesStore = filesWanted ? storeRoot(config, filesWanted.store, 'sign backfill') : undefined;
      const started = Date.now();
      const stop = stopFlag();
      let done: BackfillResult;
      try {
        done = await signBackfill(config, logger, {
          pipelines: names,
          ...(opts.pipeline !== undefined ? { pipeline: opts.pipeline } : {}),
          pageSize,
          ...(limit !== undefined ? { limit } : {}),
          stopping: stop.stopping,
          progress: (pass, total) =>
            new Progress(`sign ${pass.pipeline}`, total, { intervalSeconds: interval }),
          ...(filesWanted && filesStore !== undefined
            ? {
                files: {
                  seal: filesWanted.seal,
                  store: filesStore,
                  pageSize: filesPageSize,
                  progress: filesProgress(interval),
                },
              }
            : {}),
        });
      } finally {
        stop.dispose();
      }
      const { passes, files } = done;
      const filesReport =
        files && filesStore !== undefined ? { summary: files, root: filesStore } : undefined;
      report(opts, 'sign backfill', passes, started, stop.stoppedBy(), filesReport);
    });

  sign
    .command('resign')
    .description('re-sign selected licenses under another seal, keeping their existing signatures')
    .requiredOption('--seal <signer-or-seal-id>', 'the signer (or its seal id) to sign with')
    .option('--pipeline <name>', 'only licenses of this pipeline')
    .option('--license <id...>', 'only these license ids; one the ledger does not hold is refused')
    .option(
      '--from-seal <seal-id>',
      'only versions signed by this seal, another than --seal; one that signed none is refused',
    )
    .option('--all-versions', 'every version, not only each license’s latest')
    .option('--limit <n>', 'stop after n signatures')
    .option('--page-size <n>', 'versions signed and recorded per ledger transaction (default 1000)')
    .option('--progress-interval <seconds>', PROGRESS_INTERVAL_HELP)
    .option('--json', 'print only a JSON summary on stdout')
    .option('-c, --config <file>', 'config file')
    .action(
      async (
        opts: CommonOpts & {
          seal: string;
          pipeline?: string;
          license?: string[];
          fromSeal?: string;
          allVersions?: boolean;
        },
        cmd: Command,
      ) => {
        // Option mistakes are told before the config is read or anything is signed.
        const limit = positiveInt('--limit', opts.limit, undefined);
        const pageSize = positiveInt('--page-size', opts.pageSize, 1000) as number;
        const interval = progressIntervalSeconds('sign resign', opts.progressInterval);
        const config = await loadCommandConfig(cmd);
        const logger = commandLogger(config);
        const request = resignRequest(config, {
          seal: opts.seal,
          ...(opts.pipeline !== undefined ? { pipeline: opts.pipeline } : {}),
          ...(opts.license !== undefined ? { licenseIds: opts.license } : {}),
          ...(opts.fromSeal !== undefined ? { fromSealId: opts.fromSeal } : {}),
          allVersions: Boolean(opts.allVersions),
        });
        const started = Date.now();
        const stop = stopFlag();
        const passes: PassSummary[] = [];
        try {
          passes.push(
            await resignVersions(config, logger, request, {
              pageSize,
              ...(limit !== undefined ? { limit } : {}),
              stopping: stop.stopping,
              progress: (pass, total) =>
                new Progress(`resign ${pass.signer}`, total, { intervalSeconds: interval }),
            }),
          );
        } finally {
          stop.dispose();
        }
        report(opts, 'sign resign', passes, started, stop.stoppedBy());
      },
    );
}
