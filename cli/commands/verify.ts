import { resolve } from 'node:path';
import type { Command } from 'commander';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { configuredFileStore } from '../../pipelines/stages/deliver-files.js';
import { type FilesSummary, verifyLicenseFiles } from '../../pipelines/verify-license-files.js';
import {
  type VerifyResult,
  type VerifySummary,
  verifySignatures,
} from '../../pipelines/verify-signatures.js';
import { commandLogger, loadCommandConfig } from '../context.js';
import { EXIT_FAILED } from '../errors.js';
import { configuredTrust } from './verify-file.js';

/**
 * License files of the selection: checked when a store is known (`--store`, else
 * `licenseFiles.store`); otherwise each file the ledger lists is counted as unchecked, which fails
 * the run — "all valid" would claim what was not looked at.
 */
interface FilesReport extends FilesSummary {
  unchecked: number;
}

function printFiles(files: FilesReport): void {
  for (const r of files.results.filter((x) => !x.ok)) {
    process.stdout.write(`FAIL ${r.licenseId} v${r.version} file ${r.path}: ${r.reasons.join('; ')}\n`);
  }
  const verdict =
    files.unchecked > 0
      ? `${files.unchecked} not checked: no file store (pass --store or set licenseFiles.store)`
      : files.failed > 0
        ? `${files.failed} failed`
        : 'all valid';
  process.stdout.write(`verify: ${files.checked + files.unchecked} license file(s): ${verdict}\n`);
}

function resultLine(r: VerifyResult): string {
  const seal = r.sealId ? ` (seal ${r.sealId})` : '';
  const key = r.key ? `key ${r.key.fingerprint} (${r.key.origin})` : '';
  if (r.ok) return `ok   ${r.licenseId} v${r.version}${seal}: ${key}\n`;
  return `FAIL ${r.licenseId} v${r.version}${seal}: ${r.reasons.join('; ')}${key ? ` [${key}]` : ''}\n`;
}

function printText(summary: VerifySummary): void {
  for (const r of summary.results) process.stdout.write(resultLine(r));
  for (const k of summary.keys) {
    const serial = k.certificateSerial === null ? '' : `, certificate serial ${k.certificateSerial}`;
    process.stdout.write(
      `key ${k.fingerprint} (${k.origin}, seal ${k.sealId}${serial}): ${k.signatures} signature(s) verified\n`,
    );
  }
  process.stdout.write(
    `verify: ${summary.versions} version(s), ${summary.signatures} signature(s): ${summary.ok ? 'all valid' : `${summary.failed} version(s) failed`}\n`,
  );
}

export function registerVerifyCommand(program: Command): void {
  program
    .command('verify')
    .description(
      're-compute each license’s canonical form and check its signatures with the keys the config trusts; name the key behind each',
    )
    .option('--license <id...>', 'verify every version of these licenses')
    .option('--all', 'verify every version in the ledger')
    .option('--file <ofd...>', 'verify sealed OFD license files (references, SES signature, seal, trust)')
    .option('--pipeline <name>', 'only versions of this pipeline')
    .option(
      '--store <dir>',
      'file store of the license files the ledger lists (default `licenseFiles.store` of the config)',
    )
    .option('--json', 'print only a JSON report on stdout')
    .option('-c, --config <file>', 'config file')
    .action(
      async (
        opts: {
          license?: string[];
          all?: boolean;
          pipeline?: string;
          json?: boolean;
          file?: string[];
          store?: string;
        },
        cmd: Command,
      ) => {
        if (opts.file !== undefined) {
          const { verifyFiles } = await import('./verify-file.js');
          await verifyFiles(opts.file, cmd, opts.json === true);
          return;
        }
        if (!opts.all && opts.license === undefined) {
          throw new LicbridgeError(ErrorCodes.USAGE, 'verify: pass --license ID, --all or --file F.ofd');
        }
        const config = await loadCommandConfig(cmd);
        const logger = commandLogger(config);
        const ledger = await openLedger(config.ledger.url, { logger });
        let summary: VerifySummary;
        let files: FilesReport;
        const selection = {
          ...(opts.pipeline !== undefined ? { pipeline: opts.pipeline } : {}),
          ...(opts.license !== undefined ? { licenseIds: opts.license } : {}),
        };
        try {
          await ledger.migrate();
          summary = await verifySignatures(config, ledger, selection, logger);
          const store = opts.store !== undefined ? resolve(opts.store) : configuredFileStore(config);
          if (store !== undefined) {
            files = {
              ...(await verifyLicenseFiles(ledger, store, configuredTrust(config), selection)),
              unchecked: 0,
            };
          } else {
            const listed = (
              await ledger.licenseFiles.list(opts.pipeline !== undefined ? { pipeline: opts.pipeline } : {})
            ).filter((f) => opts.license === undefined || opts.license.includes(f.licenseId)).length;
            files = { checked: 0, failed: 0, results: [], unchecked: listed };
          }
        } finally {
          await ledger.close();
        }
        const ok = summary.ok && files.failed === 0 && files.unchecked === 0;
        if (opts.json) {
          const failures = summary.results
            .filter((r) => !r.ok)
            .map(({ licenseId, version, versionId, sealId, reasons }) => ({
              licenseId,
              version,
              versionId,
              sealId,
              reasons,
            }));
          const fileFailures = files.results.filter((r) => !r.ok);
          process.stdout.write(
            `${JSON.stringify({
              ...summary,
              ok,
              failures,
              files: {
                checked: files.checked,
                failed: files.failed,
                unchecked: files.unchecked,
                failures: fileFailures,
              },
            })}\n`,
          );
        } else {
          printText(summary);
          if (files.checked + files.unchecked > 0) printFiles(files);
        }
        if (!ok) process.exitCode = EXIT_FAILED;
      },
    );
}
