/**
 * `licbridge sign files --seal <seal> [--store <dir>]`: sealed OFD license files for every ledger
 * version that has none (docs/ofd.md). Resumable and idempotent: a rerun issues only what the
 * ledger does not list; SIGINT/SIGTERM finish the page in flight and stop. The store is
 * `licenseFiles.store` of the config unless `--store` names another.
 */
import type { Command } from 'commander';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { terminalJson, terminalLine } from '../../core/terminal-text.js';
import {
  type IssueFilesSummary,
  issueFilesForConfig,
  STORE_CHECKED,
} from '../../pipelines/issue-license-files.js';
import { licenseFilesSettings, storeRoot } from '../../pipelines/license-file-store.js';
import { commandLogger, loadCommandConfig } from '../context.js';
import { EXIT_ATTENTION } from '../errors.js';
import { signalExitCode } from '../signals.js';

/**
 * What a run issuing files leaves for a person, as lines to print: the versions without a file
 * because their face does not fit, they were written for another unit than the seal's or their
 * stored text is corrupt, and the files the ledger lists that `root`, the store this run wrote to,
 * lacks. `sign files` and `sign backfill --files` both print it.
 */
export function filesAttentionReport(command: string, root: string, summary: IssueFilesSummary): string {
  return (
    faceOverflowReport(command, summary) +
    otherUnitReport(command, summary) +
    storedTextReport(command, summary) +
    storeMismatchReport(command, root, summary)
  );
}

/**
 * The versions a run left without a file because the issuing unit recorded with them is not the
 * seal's, as lines to print: each by license, version, pipeline and unit, then what to do.
 */
function otherUnitReport(command: string, summary: IssueFilesSummary): string {
  if (summary.otherUnit === 0) return '';
  const named = summary.otherUnits.map(
    (v) =>
      `  ${terminalLine(v.licenseId)} version ${v.version} (pipeline ${terminalLine(v.pipeline)}): issued by ${terminalLine(v.issuer)}${v.identifierIssuer !== undefined ? `, its license id names ${terminalLine(v.identifierIssuer)}` : ''}; the seal is of ${terminalLine(v.signerUnit)}\n`,
  );
  const more = summary.otherUnit - summary.otherUnits.length;
  // What is so, not why: the pipeline's issuer may have changed since the version was written, or
  // the seal be of another unit than the pipeline's issuer (`--pipeline`).
  return [
    `${command}: no file for these ${summary.otherUnit} version(s): the issuing unit recorded with each is not the seal's, and a license is sealed with its own unit's seal only\n`,
    ...named,
    ...(more > 0 ? [`  … and ${more} more\n`] : []),
    `${command}: seal them with a seal of the unit named: \`licbridge sign files --seal <a seal of that unit> --pipeline <pipeline>\`\n`,
  ].join('');
}

/**
 * The versions a run left without a file because their stored license text is corrupt, as lines to
 * print: each by license, version and what is wrong (never a value of the text), then what to do.
 */
function storedTextReport(command: string, summary: IssueFilesSummary): string {
  if (summary.storedText === 0) return '';
  const more = summary.storedText - summary.storedTexts.length;
  return [
    `${command}: no file for these ${summary.storedText} version(s): their stored license text is corrupt [LB_STORED_TEXT], and a file is sealed only of the license its version's content hash attests\n`,
    ...summary.storedTexts.map(
      (v) => `  ${terminalLine(v.licenseId)} version ${v.version}: ${terminalLine(v.problem)}\n`,
    ),
    ...(more > 0 ? [`  … and ${more} more\n`] : []),
    `${command}: restore their text from a backup of the ledger (\`licbridge verify --license <id>\` shows what the ledger holds), then run ${command} again to issue these versions (one of another issuing unit, or of a type without a face template, is then counted as such)\n`,
  ].join('');
}

/**
 * The versions a run left without a file because their face does not fit, as lines to print:
 * each by license, version and box (field paths only, never values), then what to do.
 */
function faceOverflowReport(command: string, summary: IssueFilesSummary): string {
  if (summary.faceOverflow === 0) return '';
  const named = summary.faceOverflows.map(
    (v) => `  ${terminalLine(v.licenseId)} version ${v.version}: ${v.boxes.join(', ')}\n`,
  );
  const more = summary.faceOverflow - summary.faceOverflows.length;
  return [
    `${command}: no file for these ${summary.faceOverflow} version(s): a face text does not fit its box even at the box's minSize, and a sealed face is never cut\n`,
    ...named,
    ...(more > 0 ? [`  … and ${more} more\n`] : []),
    `${command}: in the face template of the license type (catalog, \`face.texts\`), widen the box named (\`width\`), raise its \`maxLines\` or lower its \`minSize\`; \`licbridge render <licenseId> --png F\` shows the face; then run again to issue these versions\n`,
  ].join('');
}

/**
 * Files the ledger lists that are not in the store the run wrote to, as lines to print: the
 * ledger keeps paths relative to the store root, so a run given another root finds those versions
 * done and issues nothing for them — success, with nothing where the operator looks.
 */
function storeMismatchReport(command: string, root: string, summary: IssueFilesSummary): string {
  if (summary.notInStore === 0) return '';
  return `${command}: ${summary.notInStore} of the first ${STORE_CHECKED} file(s) the ledger lists are not in ${terminalLine(root)}: the ledger keeps each file's path relative to the store root, not the root, so they were issued into another store (or removed from this one) and are not issued again; give that store's root (\`--store\`, \`licenseFiles.store\`), or check it with \`licbridge verify --all\`\n`;
}

/**
 * Versions left without a file because their face does not fit wait for a person to fix the
 * template, versions of another unit for that unit's seal, versions whose stored text is corrupt
 * for their text to be restored, and files the ledger lists but the store lacks for a person to
 * name the right store: the work that could be done was done, as with a run's dead letters.
 */
export function setFilesAttentionExit(summary: IssueFilesSummary | undefined): void {
  if (
    summary !== undefined &&
    (summary.faceOverflow > 0 || summary.otherUnit > 0 || summary.storedText > 0 || summary.notInStore > 0)
  )
    process.exitCode = EXIT_ATTENTION;
}

function positive(name: string, value: string | undefined, fallback?: number): number | undefined {
  if (value === undefined) return fallback;
  const n = Number(value);
  // Digits only: Number() takes `1e3` and `0x10` as numbers.
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) {
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
      'root folder of the file store (files go to <type>/<shelf>/<license>.<version>.ofd); default `licenseFiles.store` of the config',
    )
    .option(
      '--pipeline <name>',
      "only this pipeline; without it, the pipelines of the seal's unit; required when the seal's unit cannot be told (its certificate states no credit code and its signer's pipelines have not one issuer). Either way only the versions written for the seal's unit are sealed (for an untold unit, the pipeline's issuer)",
    )
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
        // Own names only: by index, `constructor` (every object has one) got past this check.
        if (opts.pipeline !== undefined && !Object.hasOwn(config.pipelines, opts.pipeline)) {
          throw new LicbridgeError(
            ErrorCodes.USAGE,
            `sign files: unknown \`--pipeline\` \`${terminalLine(opts.pipeline)}\`; the config's pipelines: ${Object.keys(config.pipelines).join(', ') || 'none'}`,
          );
        }
        const root = storeRoot(config, opts.store, 'sign files');
        const limit = positive('--limit', opts.limit);
        const pageSize = positive(
          '--page-size',
          opts.pageSize,
          licenseFilesSettings(config).pageSize,
        ) as number;
        let stoppedBy: NodeJS.Signals | undefined;
        const onSignal = (signal: NodeJS.Signals) => {
          stoppedBy ??= signal;
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
              stopping: () => stoppedBy !== undefined,
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
        const stop = stoppedBy !== undefined;
        if (opts.json) process.stdout.write(`${terminalJson({ ...summary, stopped: stop })}\n`);
        else {
          process.stdout.write(
            `sign files: ${summary.issued} file(s) issued (${summary.bytes} bytes)${summary.withoutTemplate > 0 ? `; ${summary.withoutTemplate} version(s) skipped: their license type has no face template` : ''}${summary.faceOverflow > 0 ? `; ${summary.faceOverflow} version(s) not issued: face text does not fit` : ''}${summary.otherUnit > 0 ? `; ${summary.otherUnit} version(s) not issued: written for another issuing unit` : ''}${summary.storedText > 0 ? `; ${summary.storedText} version(s) not issued: stored text corrupt` : ''}${summary.leftoversRemoved > 0 ? `; ${summary.leftoversRemoved} temporary file(s) of a killed run removed` : ''}${summary.unlistedRemoved > 0 ? `; ${summary.unlistedRemoved} unrecorded file(s) of versions not issued removed` : ''}${stop ? '; stopped, rerun to continue' : ''}\n`,
          );
          process.stdout.write(filesAttentionReport('sign files', root, summary));
        }
        setFilesAttentionExit(summary);
        // Versions are left without their file: the signal's code (130, 143), as `sign backfill`
        // and `run` exit, so a script or systemd does not go on as if every file were issued.
        if (stoppedBy !== undefined) process.exitCode = signalExitCode(stoppedBy);
      },
    );
}
