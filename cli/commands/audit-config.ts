/**
 * `licbridge audit config [--json]`: the configurations the audit chain records, each with the
 * parts that changed since the one before (pipelines/config-audit-list.ts).
 */
import type { Command } from 'commander';
import { terminalLine } from '../../core/terminal-text.js';
import { configChangeList } from '../../pipelines/config-audit-list.js';
import { commandLogger, loadCommandConfig } from '../context.js';
import { auditJsonLine } from './audit-json.js';

export function registerAuditConfigCommand(audit: Command): void {
  audit
    .command('config')
    .description(
      'every configuration change the chain records (config entries), with the parts that changed: mapping files, catalog files, pipelines, sources, signers, seals, targets',
    )
    .option('--json', 'print JSON Lines, one entry per line')
    .option('-c, --config <file>', 'config file')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const config = await loadCommandConfig(cmd);
      const entries = await configChangeList(config, commandLogger(config));
      for (const e of entries) {
        if (opts.json) {
          process.stdout.write(`${auditJsonLine(e)}\n`);
          continue;
        }
        const what = [
          ...e.changed.map((p) => `${p} changed`),
          ...(e.seq === entries[0]?.seq ? [] : e.added.map((p) => `${p} added`)),
          ...e.removed.map((p) => `${p} removed`),
        ];
        const first = e.seq === entries[0]?.seq ? `first recorded, ${Object.keys(e.parts).length} parts` : '';
        // An actor is what the operator set (LICBRIDGE_ACTOR): shown as one line a terminal does not
        // obey; so are the time and digest, which an entry whose columns hold what no writer writes
        // shows as the text they hold (ledger/audit-row.ts).
        process.stdout.write(
          `${e.seq}  ${terminalLine(e.at)}  ${terminalLine(e.actor)}  ${terminalLine(e.digest ?? '')}  ${terminalLine(first || what.join(', '))}\n`,
        );
      }
      if (!opts.json) process.stdout.write(`audit: ${entries.length} configuration change(s) recorded\n`);
    });
}
