import type { Command } from 'commander';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { openLedger } from '../../ledger/open-ledger.js';
import {
  type VerifyResult,
  type VerifySummary,
  verifySignatures,
} from '../../pipelines/verify-signatures.js';
import { commandLogger, loadCommandConfig } from '../context.js';
import { EXIT_FAILED } from '../errors.js';

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
    .option('--json', 'print only a JSON report on stdout')
    .option('-c, --config <file>', 'config file')
    .action(
      async (
        opts: { license?: string[]; all?: boolean; pipeline?: string; json?: boolean; file?: string[] },
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
        try {
          await ledger.migrate();
          summary = await verifySignatures(
            config,
            ledger,
            {
              ...(opts.pipeline !== undefined ? { pipeline: opts.pipeline } : {}),
              ...(opts.license !== undefined ? { licenseIds: opts.license } : {}),
            },
            logger,
          );
        } finally {
          await ledger.close();
        }
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
          process.stdout.write(`${JSON.stringify({ ...summary, failures })}\n`);
        } else {
          printText(summary);
        }
        if (!summary.ok) process.exitCode = EXIT_FAILED;
      },
    );
}
