/**
 * `licbridge discover <source>`: what a legacy source holds — tables (or an export's record
 * path), columns, types, row counts, and which columns could be the stream's key and cursor —
 * and, with `--draft-mapping`, a mapping skeleton listing every column for the engineer to fill.
 * The use case is pipelines/discover.ts; this parses the flags and prints.
 */
import type { Command } from 'commander';
import type { TableInfo } from '../../connectors/source.js';
import { terminalJson, terminalLine, terminalSafe } from '../../core/terminal-text.js';
import { checkDraftRequest, discoverSource, writeDraftMapping } from '../../pipelines/discover.js';
import { commandLogger, loadCommandConfig } from '../context.js';
import { Progress } from '../progress.js';

interface DiscoverOptions {
  table?: string;
  json?: boolean;
  draftMapping?: string;
  force?: boolean;
}

export function registerDiscoverCommand(program: Command): void {
  program
    .command('discover')
    .description('show a source’s tables, columns, row counts and key/cursor candidates; draft a mapping')
    .argument('<source>', 'source name from the config')
    .option('--table <name>', 'only this table (for xml-files: the record path)')
    .option('--json', 'print JSON')
    .option('--draft-mapping <file>', 'write a mapping skeleton listing every column of the table')
    .option('--force', 'overwrite the --draft-mapping file if it exists')
    .option('-c, --config <file>', 'config file')
    .action(async (sourceName: string, opts: DiscoverOptions, cmd: Command) => {
      const config = await loadCommandConfig(cmd);
      commandLogger(config);
      if (opts.draftMapping !== undefined) {
        checkDraftRequest(config, sourceName, opts.table, opts.draftMapping, opts.force === true);
      }
      // Progress goes to stderr (stdout carries the tables); `--json` is for scripts and stays quiet.
      const progress = new Progress(`discover ${sourceName}: tables`, undefined, {
        silent: opts.json === true,
      });
      const { kind, tables } = await discoverSource(config, sourceName, {
        ...(opts.table === undefined ? {} : { table: opts.table }),
        onProgress: (done, total) => {
          progress.setTotal(total);
          if (done > 0) progress.set(done);
        },
      });
      progress.finish();
      let drafted: string | null = null;
      if (opts.draftMapping !== undefined) {
        drafted = await writeDraftMapping(sourceName, tables, opts.draftMapping, opts.force === true, kind);
      }
      if (opts.json) {
        process.stdout.write(
          `${terminalJson({ source: sourceName, kind, tables, draftMapping: drafted })}\n`,
        );
        return;
      }
      // Table and column names and sample values come from the source: shown as plain text.
      process.stdout.write(terminalSafe(renderTables(sourceName, kind, tables)));
      // The path the operator typed: shown inert, on one line (the file keeps the name as given).
      if (drafted) process.stdout.write(`\nwrote a draft mapping: ${terminalLine(drafted)}\n`);
    });
}

/**
 * A plain-text table per table: column, type, nullable, and the key/cursor candidates ranked. Each
 * name the source gives is one line (terminalLine): SQL lets a quoted name hold a line break or a
 * tab, which split a row and printed a line of the name's choosing.
 */
export function renderTables(source: string, kind: string, tables: readonly TableInfo[]): string {
  if (tables.length === 0) return `${source} (${kind}): no tables\n`;
  const out: string[] = [];
  const one = terminalLine;
  for (const t of tables) {
    out.push(`${source} (${kind}) · ${one(t.name)} · ${t.rowCount} row${t.rowCount === 1 ? '' : 's'}`);
    const rank = (list: readonly string[], name: string, mark: string) => {
      const i = list.indexOf(name);
      return i < 0 ? '' : `${mark}${i + 1}`;
    };
    const rows = [
      ['column', 'type', 'nullable', 'key?', 'cursor?'],
      ...t.columns.map((c) => [
        one(c.name),
        one(c.type),
        c.nullable ? 'yes' : 'no',
        rank(t.candidateKeys, c.name, 'K'),
        rank(t.candidateCursors, c.name, 'C'),
      ]),
    ];
    const widths = (rows[0] as string[]).map((_, i) => Math.max(...rows.map((r) => width(r[i] ?? ''))));
    for (const r of rows) out.push(`  ${r.map((cell, i) => pad(cell, widths[i] ?? 0)).join('  ')}`.trimEnd());
    const key = t.candidateKeys[0];
    const cursor = t.candidateCursors[0];
    if (key) {
      out.push(
        `  suggested stream: { table: ${one(t.name)}, key: ${one(key)}${cursor ? `, cursor: ${one(cursor)}` : ''} }`,
      );
    } else {
      out.push('  no single-column key found: a stream needs a unique, non-null key column');
    }
    for (const note of t.notes ?? []) out.push(`  note: ${one(note)}`);
    out.push('');
  }
  return `${out.join('\n')}\n`;
}

// CJK characters take two columns in a terminal; column names and comments are often Chinese.
const width = (s: string): number =>
  [...s].reduce((n, ch) => n + (/[\u1100-\uffdc\u{20000}-\u{3fffd}]/u.test(ch) ? 2 : 1), 0);
const pad = (s: string, w: number): string => s + ' '.repeat(Math.max(0, w - width(s)));
