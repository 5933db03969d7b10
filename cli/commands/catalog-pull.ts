/**
 * `licbridge catalog pull <target>`: the license types a platform publishes, written as catalog
 * files for review. Fetching and writing is pipelines/catalog-pull.ts; this prints.
 */
import type { Command } from 'commander';
import { terminalJson, terminalSafe } from '../../core/terminal-text.js';
import { pullCatalog } from '../../pipelines/catalog-pull.js';
import { commandLogger, loadCommandConfig } from '../context.js';

export function registerCatalogPullCommand(program: Command): void {
  const catalog =
    program.commands.find((c) => c.name() === 'catalog') ??
    program.command('catalog').description('the license catalog');
  catalog
    .command('pull')
    .description(
      'download the license-type definitions a platform publishes and write catalog files for review',
    )
    .argument('<target>', 'a rest-json target that publishes its catalog')
    .option(
      '--out <dir>',
      'folder for the files (default: <catalog>/pulled/<target>); never the live catalog',
    )
    .option('--json', 'print what was written as JSON')
    .option('-c, --config <file>', 'config file')
    .action(async (target: string, opts: { out?: string; json?: boolean }, cmd: Command) => {
      const config = await loadCommandConfig(cmd);
      const { written, skipped, incomplete, notPublished, changed, edited } = await pullCatalog(
        config,
        target,
        opts.out,
        { logger: commandLogger(config) },
      );
      if (opts.json)
        process.stdout.write(
          `${terminalJson({ written, skipped, incomplete, notPublished, changed, edited }, 2)}\n`,
        );
      else {
        const again = new Set(changed);
        const replaced = new Set(edited);
        for (const f of written) {
          const notes = [
            ...(again.has(f) ? [`changed by ${target} since the earlier pull: review it again`] : []),
            ...(replaced.has(f) ? ['the edits made to it since the earlier pull are replaced'] : []),
          ];
          process.stdout.write(`wrote ${f}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}\n`);
        }
        for (const s of skipped) process.stdout.write(`skipped a type with an unusable code: ${s}\n`);
        for (const s of incomplete) process.stdout.write(`skipped ${s}\n`);
        // File names in the folder are the operator's: shown as plain text.
        for (const f of notPublished)
          process.stdout.write(
            terminalSafe(`not published by ${target} now, left from an earlier pull: ${f}\n`),
          );
        const left = skipped.length + incomplete.length;
        const more = left === 0 ? '' : `; ${left} entr${left === 1 ? 'y' : 'ies'} skipped`;
        process.stdout.write(`${written.length} license type(s) from ${target}${more}\n`);
      }
    });
}
