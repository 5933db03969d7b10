import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { fetchCatalogTypes } from '../../adapters/platforms/rest-json/catalog-fetch.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { terminalJson, terminalLine } from '../../core/terminal-text.js';
import { loadCommandConfig } from '../context.js';

/** License type codes become file names: only the code alphabet is allowed through. */
const TYPE_CODE = /^[0-9A-Z]{10,40}$/;

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
      const t = config.targets[target];
      if (t?.kind !== 'rest-json') {
        throw new LicbridgeError(
          ErrorCodes.USAGE,
          `catalog pull: \`${target}\` is not a rest-json target in ${config.file}`,
        );
      }
      const types = await fetchCatalogTypes(target, t);
      const out = opts.out ? resolve(opts.out) : join(config.catalog, 'pulled', target);
      await mkdir(out, { recursive: true });
      const written: string[] = [];
      const skipped: string[] = [];
      for (const type of types) {
        if (!TYPE_CODE.test(type.code)) {
          // The platform's own text: shown, but never able to steer the terminal.
          skipped.push(terminalLine(type.code).slice(0, 40));
          continue;
        }
        const file = join(out, `${type.code}.yaml`);
        const header = `# Pulled from target \`${target}\` on ${new Date().toISOString()}. Review, then move into the catalog.\n`;
        await writeFile(file, header + stringify(type));
        written.push(file);
      }
      if (opts.json) process.stdout.write(`${terminalJson({ written, skipped }, 2)}\n`);
      else {
        for (const f of written) process.stdout.write(`wrote ${f}\n`);
        for (const s of skipped) process.stdout.write(`skipped a type with an unusable code: ${s}\n`);
        process.stdout.write(`${written.length} license type(s) from ${target}\n`);
      }
    });
}
