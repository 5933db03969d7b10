/**
 * `licbridge catalog check [folder]`: loads and compiles every catalog entry (one YAML file per
 * license type) and reports each problem with file:line:col (exit 2). Without a folder it checks
 * the config's catalog and also that every pipeline's license type is in it.
 * The checks are pipelines/catalog-check.ts; this prints.
 * The `catalog` group is found or created, so other files can attach subcommands (`catalog pull`).
 */
import { relative } from 'node:path';
import type { Command } from 'commander';
import { terminalJson, terminalLine } from '../../core/terminal-text.js';
import { checkCatalog } from '../../pipelines/catalog-check.js';
import { loadCommandConfig } from '../context.js';

export function registerCatalogCommands(program: Command): void {
  const group =
    program.commands.find((c) => c.name() === 'catalog') ??
    program.command('catalog').description('work with the license catalog (one YAML file per license type)');
  group
    .command('check')
    .description(
      'validate the catalog: entry schema, type codes, face-field JSON Schemas; exit 2 on problems',
    )
    .argument('[folder]', 'catalog folder (default: the config’s `catalog`)')
    .option('--json', 'print JSON')
    .option('-c, --config <file>', 'config file')
    .action(async (folder: string | undefined, opts: { json?: boolean }, cmd: Command) => {
      const config = folder === undefined ? await loadCommandConfig(cmd) : undefined;
      const dir = folder ?? (config?.catalog as string);
      const catalog = await checkCatalog(dir, config);
      const entries = catalog.entries().map((e) => ({
        code: e.code,
        name: e.name,
        holderCategory: e.holderCategory,
        file: relative(process.cwd(), e.file) || e.file,
      }));
      if (opts.json) {
        process.stdout.write(`${terminalJson({ folder: dir, version: catalog.version, entries })}\n`);
        return;
      }
      // Names and file names are the catalog's text: shown, never obeyed by the terminal.
      for (const e of entries)
        process.stdout.write(
          `${terminalLine(e.code)}  ${terminalLine(e.name)}  (${e.holderCategory})  ${terminalLine(e.file)}\n`,
        );
      process.stdout.write(
        `${terminalLine(dir)}: ok (${entries.length} license type(s), version ${catalog.version.slice(0, 16)}…)\n`,
      );
    });
}
