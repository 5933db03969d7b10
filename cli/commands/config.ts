import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { inlineSecrets } from '../../config/inline-secrets.js';
import { configSchemaJson } from '../../config/schema.js';
import { openSecretFiles } from '../../config/secret-file-modes.js';
import { insecureTlsSettings } from '../../config/tls-findings.js';
import { ConfigError } from '../../core/errors.js';
import { terminalLine, terminalSafe } from '../../core/terminal-text.js';
import { renderConfigDocs } from '../config-docs.js';
import { commandLogger, loadCommandConfig } from '../context.js';
import { writeOutputFile } from '../output-file.js';

export function registerConfigCommands(program: Command): void {
  const config = program
    .command('config')
    .description('check a config file, print its JSON Schema or its reference docs');
  config
    .command('check')
    .description('validate a config file: schema, references, env vars and files; exit 2 on problems')
    .argument('[file]', 'config file (default: --config, $LICBRIDGE_CONFIG or ./licbridge.yaml)')
    .option(
      '--connect',
      'also reach every source, Redis, the ledger and every target (reads and writes nothing)',
    )
    .action(async (file: string | undefined, opts: { connect?: boolean }, cmd: Command) => {
      const loaded = await loadCommandConfig(cmd, file);
      // Files, mappings, catalog entries, mapped fields, seal key and certificate: exit 2 on any.
      // Imported here: `config docs` and `config schema` need none of it.
      const { checkConfigFiles, checkConnections } = await import('../../pipelines/config-check.js');
      const problems = await checkConfigFiles(loaded);
      // What a source says while checked (a cursor no index leads) follows the config's log settings.
      if (opts.connect) problems.push(...(await checkConnections(loaded, undefined, commandLogger(loaded))));
      if (problems.length > 0) throw new ConfigError(problems);
      const counts = [
        `${Object.keys(loaded.sources).length} source(s)`,
        `${Object.keys(loaded.pipelines).length} pipeline(s)`,
        `${Object.keys(loaded.signers).length} signer(s)`,
        `${Object.keys(loaded.targets).length} target(s)`,
      ];
      // The file's name is the operator's argument or $LICBRIDGE_CONFIG: shown, never obeyed.
      process.stdout.write(`${terminalLine(loaded.file)}: ok (${counts.join(', ')})\n`);
      // Valid, but a person has to know: verification switched off is flagged every time. A
      // certificate's subject or a connection's name may carry terminal escapes: shown inert.
      for (const warning of insecureTlsSettings(loaded))
        process.stderr.write(terminalSafe(`warning: ${warning}\n`));
      // And a `tls.ca` bundle none of whose certificates is valid now: every connection using it is
      // refused. In status's words (tls-attention.ts), on the clock status prints them on.
      const { caBundlesOutOfForce } = await import('../../pipelines/observability/tls-attention.js');
      const { scheduleTimeZone } = await import('../../pipelines/schedules.js');
      for (const note of caBundlesOutOfForce(loaded, new Date(), scheduleTimeZone(loaded)))
        process.stderr.write(terminalSafe(`warning: ${note.message}\n`));
      // And a full check scheduled where its source's readWindow refuses it (two clocks).
      const { checksOutsideReadWindow } = await import('../../pipelines/schedule-window.js');
      for (const warning of checksOutsideReadWindow(loaded))
        process.stderr.write(terminalSafe(`warning: ${warning}\n`));
      const text = await readFile(loaded.file, 'utf8');
      // And any schedule (a pipeline's, reconcile's, the lifecycle tick) that skips the day summer
      // time starts at midnight (America/Havana).
      const { skippedTickWarnings } = await import('../../pipelines/lifecycle/schedule-skipped-day.js');
      for (const warning of skippedTickWarnings(loaded, text))
        process.stderr.write(terminalSafe(`warning: ${warning}\n`));
      // And so is a secret read with `${file:…}` from a file others can read.
      for (const warning of openSecretFiles(text, loaded.file, process.env))
        process.stderr.write(terminalSafe(`warning: ${warning}\n`));
      // And a secret written in the file itself, which is likely committed (config/inline-secrets.ts).
      for (const warning of inlineSecrets(text, loaded.file, process.env))
        process.stderr.write(terminalSafe(`warning: ${warning}\n`));
    });
  config
    .command('schema')
    .description('print the config JSON Schema, for editors to complete and check configs')
    .action(() => {
      process.stdout.write(`${configSchemaJson()}\n`);
    });
  config
    .command('docs')
    .description(
      'print the config reference (Markdown) generated from the JSON Schema; docs/configuration.md is this',
    )
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .action(async (opts: { output?: string }) => {
      const md = renderConfigDocs();
      if (opts.output) await writeOutputFile(opts.output, md, 'config docs');
      else process.stdout.write(md);
    });
}
