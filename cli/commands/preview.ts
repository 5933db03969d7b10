/**
 * `licbridge preview <pipeline> [--limit N] [--json]`: shows each of the first N live rows of a
 * pipeline beside the license it becomes, or every reason it would be quarantined. The mapping is
 * pipelines/preview.ts, which writes nothing; this parses the flags and prints. Personal data is
 * masked unless --show-personal.
 */
import type { Command } from 'commander';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { terminalJson, terminalLine, terminalSafe } from '../../core/terminal-text.js';
import { type PreviewRow, previewPipeline } from '../../pipelines/preview.js';
import { loadCommandConfig } from '../context.js';

function wholeNumber(flag: string, text: string, min: number, max: number): number {
  const n = Number(text);
  // Digits only: Number() takes `1e3`, `0x10` and an empty value (0) as numbers.
  if (!/^\d+$/.test(text) || n < min || n > max) {
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `preview: expected \`${flag}\` to be an integer from ${min} to ${max}, got \`${text}\``,
    );
  }
  return n;
}

// CJK and full-width characters take two terminal columns.
const WIDE = /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/u;

function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += WIDE.test(ch) ? 2 : 1;
  return w;
}

function cut(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  let out = '';
  for (const ch of text) {
    if (displayWidth(out + ch) > width - 1) break;
    out += ch;
  }
  return `${out}…`;
}

function printRow(row: PreviewRow, index: number): void {
  // Keys, column names and values are the department's text: none of it may steer the terminal,
  // nor break its line: a key holding a line break printed a line of its own, which read as
  // another row's header or reason. Each field is kept on its line (terminalLine); values are JSON.
  const out = { write: (text: string) => process.stdout.write(terminalSafe(text)) };
  out.write(
    `── row ${index + 1} · key ${terminalLine(row.key)} ${row.failures ? '· QUARANTINED' : '· ok'}\n`,
  );
  const left = Object.entries(row.source).map(
    ([k, v]) => `${terminalLine(k)} = ${v === null ? 'null' : JSON.stringify(v)}`,
  );
  // The license comes one entry per leaf path already.
  const right = row.license
    ? Object.entries(row.license).map(([k, v]) => `${terminalLine(k)} = ${JSON.stringify(v)}`)
    : ['(no license)'];
  const width = Math.min(60, Math.max(20, ...left.map(displayWidth)));
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const shown = cut(left[i] ?? '', width);
    out.write(`  ${shown}${' '.repeat(Math.max(0, width - displayWidth(shown)))}  │ ${right[i] ?? ''}\n`);
  }
  for (const f of row.failures ?? []) {
    const where = terminalLine(
      [f.path, f.column ? `column ${f.column}` : undefined, f.location].filter(Boolean).join(', '),
    );
    out.write(
      `  ✗ ${terminalLine(f.code)}${where ? ` (${where})` : ''}${f.value === undefined ? '' : ` value ${terminalLine(String(f.value))}`}\n`,
    );
    out.write(`      ${terminalLine(f.message)}\n`);
  }
  out.write('\n');
}

export function registerPreviewCommand(program: Command): void {
  program
    .command('preview')
    .description('map the first rows of a pipeline and show source and license side by side; writes nothing')
    .argument('<pipeline>', 'the pipeline to preview')
    .option('--limit <n>', 'rows to show (1-1000)', '10')
    .option('--offset <n>', 'rows to skip first, to reach rows past the first 1000', '0')
    .option(
      '--file <name>',
      'xml-files sources: the records of this export file (read or not), in document order',
    )
    .option('--json', 'print JSON')
    .option('--show-personal', 'show names and ID numbers unmasked (they are masked by default)')
    .option('-c, --config <file>', 'config file')
    .action(
      async (
        pipeline: string,
        opts: { limit: string; offset: string; file?: string; json?: boolean; showPersonal?: boolean },
        cmd,
      ) => {
        const limit = wholeNumber('--limit', opts.limit, 1, 1000);
        const offset = wholeNumber('--offset', opts.offset, 0, Number.MAX_SAFE_INTEGER);
        const config = await loadCommandConfig(cmd);
        const preview = await previewPipeline(config, pipeline, {
          limit,
          offset,
          ...(opts.file === undefined ? {} : { file: opts.file }),
          showPersonal: Boolean(opts.showPersonal),
        });
        const { rows, counts } = preview;
        if (opts.json) {
          process.stdout.write(`${terminalJson(preview)}\n`);
          return;
        }
        rows.forEach(printRow);
        process.stdout.write(
          `${pipeline}: ${counts.read} row(s) read, ${counts.ok} map to licenses, ${counts.quarantined} would be quarantined; nothing was written\n`,
        );
      },
    );
}
