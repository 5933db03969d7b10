/**
 * `licbridge quarantine resolve <key> --pipeline P --reason LB_VERSION_LIMIT`: a person takes a key
 * at version 999 off the worklist once they have done what its reason asks (the change issued under
 * a new number, the license ended at the platforms by hand). No read closes such a record (the row
 * stays changed, or deleted); every other reason leaves the list by itself once its fault is fixed,
 * and is refused here.
 */
import type { Command } from 'commander';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { terminalJson, terminalLine } from '../../core/terminal-text.js';
import { withLedger } from '../../pipelines/with-ledger.js';
import { loadCommandConfig } from '../context.js';

const VERSION_LIMIT = 'LB_VERSION_LIMIT';

function reasonOption(v: string): string {
  const code = v.trim().toUpperCase();
  if (code === VERSION_LIMIT) return code;
  throw new LicbridgeError(
    ErrorCodes.USAGE,
    `quarantine resolve: expected \`--reason\` to be ${VERSION_LIMIT}, got \`${terminalLine(v)}\`: every other reason leaves the worklist when a run reads its row fixed, or its stored text is restored and signed or sent`,
  );
}

export function registerQuarantineResolve(q: Command): void {
  q.command('resolve')
    .description(
      `close a key's ${VERSION_LIMIT} records once the license at version 999 is dealt with (issued anew under a new number, or ended at the platforms by hand)`,
    )
    .argument('<key>', 'the source key, as `quarantine show` takes it')
    .requiredOption('--pipeline <name>', 'the pipeline the key is quarantined in')
    .requiredOption('--reason <code>', `the reason to close: ${VERSION_LIMIT}`, reasonOption)
    .option('--json', 'print JSON on stdout')
    .option('-c, --config <file>', 'config file')
    .action(async (key: string, opts: { pipeline: string; reason: string; json?: boolean }, cmd: Command) => {
      const config = await loadCommandConfig(cmd);
      const done = await withLedger(config, (l) =>
        l.resolveVersionLimit({ pipeline: opts.pipeline, sourceKey: key }),
      );
      if (done.records === 0)
        throw new LicbridgeError(
          ErrorCodes.USAGE,
          `quarantine resolve: no open ${VERSION_LIMIT} record of this source key in pipeline ${terminalLine(opts.pipeline)}; \`licbridge quarantine show\` lists its records`,
          { context: { pipeline: opts.pipeline, recordKey: key } },
        );
      if (opts.json) {
        process.stdout.write(
          `${terminalJson({ pipeline: opts.pipeline, reason: opts.reason, ...done }, 2)}\n`,
        );
        return;
      }
      const kept = done.keptOpen > 0 ? `; ${done.keptOpen} stay open for their other reasons` : '';
      process.stdout.write(
        `quarantine resolve: ${done.records} ${VERSION_LIMIT} record(s) of pipeline ${terminalLine(opts.pipeline)} closed${done.licenseId === null ? '' : ` (license ${done.licenseId})`}${kept}. A run reading the row changed again quarantines it anew; the lifecycle tick leaves it closed\n`,
      );
    });
}
