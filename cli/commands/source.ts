/** `licbridge source forget <source>`: the next run reads the source again from the start. */
import type { Command } from 'commander';
import { terminalJson } from '../../core/terminal-text.js';
import { forgetSource } from '../../pipelines/forget-source.js';
import { Runtime } from '../../pipelines/runtime.js';
import { commandLogger, loadCommandConfig } from '../context.js';

export function registerSourceCommand(program: Command): void {
  const source = program.command('source').description('what licbridge remembers of a source');
  source
    .command('forget')
    .description(
      'forget what was read of a source (checkpoints; for export folders, the files-read record): the next run reads it all again and creates versions only for records newer than the ledger holds',
    )
    .argument('<source>', 'the source, as named under `sources:`')
    .option('--json', 'print JSON on stdout')
    .option('-c, --config <file>', 'config file')
    .action(async (name: string, opts: { json?: boolean }, cmd: Command) => {
      const config = await loadCommandConfig(cmd);
      const rt = new Runtime(config, commandLogger(config));
      try {
        const r = await forgetSource(rt, name);
        if (opts.json) process.stdout.write(`${terminalJson(r)}\n`);
        else {
          const files =
            config.sources[name]?.kind === 'xml-files' ? `${r.files} export file record(s), ` : '';
          process.stdout.write(
            `source ${name}: forgot ${files}checkpoints of ${r.pipelines.length} pipeline(s)${r.pipelines.length ? ` (${r.pipelines.join(', ')})` : ''}; the next run reads it from the start\n`,
          );
        }
      } finally {
        await rt.close();
      }
    });
}
