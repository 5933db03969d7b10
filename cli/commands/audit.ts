import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { createSigner } from '../../adapters/signers/create-signer.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import type { AuditQuery } from '../../ledger/audit-types.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { commandLogger, loadCommandConfig } from '../context.js';
import { EXIT_FAILED } from '../errors.js';

/** `--from`/`--to`: a sequence number, or an ISO date/time. */
function bound(value: string | undefined, which: 'from' | 'to'): Partial<AuditQuery> {
  if (value === undefined) return {};
  if (/^\d+$/.test(value)) return which === 'from' ? { fromSeq: Number(value) } : { toSeq: Number(value) };
  const t = Date.parse(value);
  if (Number.isNaN(t)) {
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `audit: expected \`--${which}\` to be a sequence number or an ISO date, got \`${value.slice(0, 40)}\``,
    );
  }
  return which === 'from' ? { from: new Date(t) } : { to: new Date(t) };
}

export function registerAuditCommand(program: Command): void {
  const audit = program
    .command('audit')
    .description('the audit trail: verify the SM3 chain, export a signed range');

  audit
    .command('verify')
    .description(
      'walk the whole chain; exit 1 and name the first bad entry if anything was altered, deleted, inserted or reordered',
    )
    .option('--json', 'print JSON')
    .option('-c, --config <file>', 'config file')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const config = await loadCommandConfig(cmd);
      const logger = commandLogger(config);
      const ledger = await openLedger(config.ledger.url, { logger });
      try {
        const result = await ledger.verifyAudit();
        if (opts.json) process.stdout.write(`${JSON.stringify(result)}\n`);
        else if (result.ok)
          process.stdout.write(`audit: chain intact: ${result.entries} entries, head ${result.headHash}\n`);
        else
          process.stdout.write(
            `audit: chain broken at entry ${result.firstBad.seq}: ${result.firstBad.message}\n`,
          );
        if (!result.ok) process.exitCode = EXIT_FAILED;
      } finally {
        await ledger.close();
      }
    });

  audit
    .command('export')
    .description(
      'write a range of entries as JSON Lines with a detached SM2 signature and the public key beside it',
    )
    .option('--from <seqOrDate>', 'first entry: a sequence number or an ISO date')
    .option(
      '--to <seqOrDate>',
      'last entry (a sequence number, inclusive) or end time (an ISO date, exclusive)',
    )
    .option('--out <file>', 'output file', 'audit-export.jsonl')
    .option('--signer <name>', "signer to seal the export with (default: the first pipeline's signer)")
    .option('-c, --config <file>', 'config file')
    .action(async (opts: { from?: string; to?: string; out: string; signer?: string }, cmd: Command) => {
      const config = await loadCommandConfig(cmd);
      const logger = commandLogger(config);
      const signerName =
        opts.signer ?? Object.values(config.pipelines)[0]?.signer ?? Object.keys(config.signers)[0];
      const signerConfig = signerName === undefined ? undefined : config.signers[signerName];
      if (!signerName || !signerConfig) {
        throw new LicbridgeError(
          ErrorCodes.USAGE,
          `audit: export failed: no signer \`${signerName ?? ''}\` in the config`,
        );
      }
      const query: AuditQuery = { ...bound(opts.from, 'from'), ...bound(opts.to, 'to') };
      const ledger = await openLedger(config.ledger.url, { logger });
      const lines: string[] = [];
      try {
        let after = 0;
        for (;;) {
          const page = await ledger.readAudit({ ...query, afterSeq: after, limit: 5000 });
          if (page.length === 0) break;
          for (const e of page) lines.push(JSON.stringify(e));
          after = page[page.length - 1]?.seq ?? after;
        }
      } finally {
        await ledger.close();
      }
      const bytes = Buffer.from(lines.length > 0 ? `${lines.join('\n')}\n` : '', 'utf8');
      const signer = await createSigner(signerName, signerConfig);
      await signer.open();
      try {
        const [record] = await signer.sign([bytes]);
        if (!record)
          throw new LicbridgeError(
            ErrorCodes.SIGNER_FAILED,
            'audit: export failed: the signer returned nothing',
          );
        await writeFile(opts.out, bytes);
        await writeFile(`${opts.out}.sig`, record.signature);
        await writeFile(`${opts.out}.pub.pem`, signer.publicKeyPem());
        process.stdout.write(
          `audit: exported ${lines.length} entries to ${opts.out}; signature ${opts.out}.sig (SM2, SM3, distid ${record.distId}), public key ${opts.out}.pub.pem\n`,
        );
      } finally {
        await signer.close();
      }
    });
}
