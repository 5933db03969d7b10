/**
 * `licbridge render (<licenseId> | --sample <type>) --png FILE`: the license face as it will look
 * in its OFD file, drawn from the same layout. A ledger license shows its latest version; a
 * sample shows a type's template with captions for every field, before any data exists.
 */
import type { Command } from 'commander';
import { writeFileAtomic } from '../../adapters/documents/atomic-file.js';
import { DEFAULT_DPI } from '../../adapters/documents/picture/face-png.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { parseIsoDate } from '../../core/local-date.js';
import { terminalJson, terminalLine } from '../../core/terminal-text.js';
import { judgedToday } from '../../pipelines/lifecycle/settings.js';
import { renderRequested } from '../../pipelines/render-face.js';
import { commandLogger, loadCommandConfig } from '../context.js';

function usage(detail: string): LicbridgeError {
  return new LicbridgeError(ErrorCodes.USAGE, `render: ${detail}`);
}

/**
 * The finest `--dpi`: print quality. A face is drawn as one bitmap, and an A4 face at 9999 dpi
 * asked for 38 GB: the process was aborted, no message of ours. At 600 dpi it is some 140 MB.
 */
const MAX_DPI = 600;

function dpiOption(value: string): number {
  if (!/^[1-9]\d{0,3}$/.test(value) || Number(value) > MAX_DPI)
    throw usage(
      `expected \`--dpi\` to be a whole number from 1 to ${MAX_DPI}, got \`${terminalLine(value)}\``,
    );
  return Number(value);
}

export function registerRenderCommand(program: Command): void {
  program
    .command('render')
    .description('draw a license face as it will look in its OFD file (the same layout), as PNG')
    .argument('[licenseId]', 'a license of the ledger: its latest version is drawn')
    .option(
      '--sample <type>',
      "a sample license of this type (code or name): the template with each field's caption",
    )
    .requiredOption('--png <file>', 'where to write the picture')
    .option('--pipeline <name>', 'with --sample: whose issuer the sample carries')
    .option('--seal <name>', "draw this seal's registered picture (a seal of the config) in the seal box")
    .option('--dpi <n>', `picture resolution, at most ${MAX_DPI} (default ${DEFAULT_DPI})`)
    .option('--font <file...>', 'font files (TTF/OTF/TTC) to use beside the installed ones')
    .option(
      '--today <YYYY-MM-DD>',
      "with --sample: the sample's issue date (default today in `lifecycle.timeZone`)",
    )
    .option('--json', 'print the result as JSON')
    .action(
      async (
        licenseId: string | undefined,
        opts: Record<string, string | string[] | true | undefined>,
        cmd: Command,
      ) => {
        const sample = opts.sample as string | undefined;
        if (licenseId === undefined && sample === undefined)
          throw usage('pass a license id (a ledger license) or --sample <type>: neither was given');
        if (licenseId !== undefined && sample !== undefined)
          throw usage('pass a license id or --sample <type>, not both');
        const given = opts.today as string | undefined;
        // A day of the calendar, as every other `--today`: Date.parse takes 2029-02-29 and 2029-02-30.
        if (given !== undefined && !parseIsoDate(given)) {
          throw usage(`--today: expected YYYY-MM-DD, got \`${terminalLine(given)}\``);
        }
        const dpi = opts.dpi !== undefined ? dpiOption(opts.dpi as string) : undefined;
        const config = await loadCommandConfig(cmd);
        // Today as lifecycle counts it: the day in `lifecycle.timeZone` (or LICBRIDGE_TODAY), not
        // the UTC date, a day behind in Beijing from 00:00 to 08:00.
        const today = judgedToday(config, given !== undefined ? { today: given } : {});
        const { license, rendered } = await renderRequested(
          config,
          {
            ...(licenseId !== undefined ? { licenseId } : {}),
            ...(sample !== undefined ? { sample } : {}),
            ...(opts.pipeline !== undefined ? { pipeline: opts.pipeline as string } : {}),
            ...(opts.seal !== undefined ? { seal: opts.seal as string } : {}),
            today,
            ...(dpi !== undefined ? { dpi } : {}),
            ...(opts.font !== undefined ? { fontFiles: opts.font as string[] } : {}),
          },
          commandLogger(config),
        );
        const file = opts.png as string;
        // A ledger license's face shows the holder's name and ID number: owner-only, as license files are.
        await writeFileAtomic(file, rendered.png, { mode: 0o600 });
        const result = {
          file,
          width: rendered.width,
          height: rendered.height,
          licenseType: license.type.code,
          sample: sample !== undefined,
          overflows: rendered.layout.overflows,
        };
        if (opts.json) {
          process.stdout.write(`${terminalJson(result)}\n`);
          return;
        }
        // A box's field and the type's name are the catalog's text (`catalog pull` writes a
        // platform's): shown, never obeyed by the terminal, as `catalog check` shows them.
        for (const box of rendered.layout.overflows) {
          process.stderr.write(`render: ${terminalLine(box)} did not fit its lines: cut with …\n`);
        }
        process.stdout.write(
          `render: ${terminalLine(file)}: ${rendered.width} × ${rendered.height} px, ${terminalLine(license.type.name)}${sample !== undefined ? ' (sample)' : ''}\n`,
        );
      },
    );
}
