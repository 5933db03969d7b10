/**
 * `licbridge discover <source>`: what a legacy source holds — tables (or an export's record
 * path), columns, types, row counts, and which columns could be the stream's key and cursor —
 * and, with `--draft-mapping`, a mapping skeleton listing every column for the engineer to fill.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { openSource } from '../../connectors/open-source.js';
import type { TableInfo } from '../../connectors/source.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { terminalJson, terminalSafe } from '../../core/terminal-text.js';
import { compileMappingText } from '../../mappings/compile.js';
import { commandLogger, loadCommandConfig } from '../context.js';
import { createProgress } from '../progress.js';

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
      const sourceConfig = config.sources[sourceName];
      if (!sourceConfig) {
        const known = Object.keys(config.sources).join(', ') || 'none';
        throw new LicbridgeError(
          ErrorCodes.USAGE,
          `discover: unknown source \`${sourceName}\` (defined in ${config.file}: ${known})`,
        );
      }
      const source = await openSource(sourceName, sourceConfig);
      let tables: TableInfo[];
      try {
        await source.checkConnection();
        // Progress goes to stderr (stdout carries the tables); `--json` is for scripts and stays quiet.
        const progress = opts.json ? undefined : createProgress(`discover ${sourceName}`, { unit: 'tables' });
        tables = await source.discover({
          ...(opts.table === undefined ? {} : { table: opts.table }),
          onProgress: (done, total) => {
            progress?.setTotal(total);
            if (done > 0) progress?.update(done);
          },
        });
        progress?.done();
      } finally {
        await source.close();
      }
      let drafted: string | null = null;
      if (opts.draftMapping !== undefined) {
        drafted = await writeDraft(sourceName, tables, opts.draftMapping, opts.force === true);
      }
      if (opts.json) {
        process.stdout.write(
          `${terminalJson({ source: sourceName, kind: sourceConfig.kind, tables, draftMapping: drafted })}\n`,
        );
        return;
      }
      // Table and column names and sample values come from the source: shown as plain text.
      process.stdout.write(terminalSafe(renderTables(sourceName, sourceConfig.kind, tables)));
      if (drafted) process.stdout.write(`\nwrote a draft mapping: ${drafted}\n`);
    });
}

/** A plain-text table per table: column, type, nullable, and the key/cursor candidates ranked. */
export function renderTables(source: string, kind: string, tables: readonly TableInfo[]): string {
  if (tables.length === 0) return `${source} (${kind}): no tables\n`;
  const out: string[] = [];
  for (const t of tables) {
    out.push(`${source} (${kind}) · ${t.name} · ${t.rowCount} row${t.rowCount === 1 ? '' : 's'}`);
    const rank = (list: readonly string[], name: string, mark: string) => {
      const i = list.indexOf(name);
      return i < 0 ? '' : `${mark}${i + 1}`;
    };
    const rows = [
      ['column', 'type', 'nullable', 'key?', 'cursor?'],
      ...t.columns.map((c) => [
        c.name,
        c.type,
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
      out.push(`  suggested stream: { table: ${t.name}, key: ${key}${cursor ? `, cursor: ${cursor}` : ''} }`);
    } else {
      out.push('  no single-column key found: a stream needs a unique, non-null key column');
    }
    for (const note of t.notes ?? []) out.push(`  note: ${note}`);
    out.push('');
  }
  return `${out.join('\n')}\n`;
}

// CJK characters take two columns in a terminal; column names and comments are often Chinese.
const width = (s: string): number =>
  [...s].reduce((n, ch) => n + (/[\u1100-\uffdc\u{20000}-\u{3fffd}]/u.test(ch) ? 2 : 1), 0);
const pad = (s: string, w: number): string => s + ' '.repeat(Math.max(0, w - width(s)));

const SEGMENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A `surface.<name>` segment for a column: lowercase, other characters as `_`, else `column<i>`. */
function surfaceName(column: string, index: number, used: Set<string>): string {
  let name = column.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  if (!SEGMENT.test(name) || /^_+$/.test(name)) name = `column${index + 1}`;
  while (used.has(name)) name = `${name}_`;
  used.add(name);
  return name;
}

/** The mapping skeleton: one live rule (so it compiles) and every column as a commented rule. */
export function draftMapping(source: string, table: TableInfo): string {
  const q = (s: string) => JSON.stringify(s);
  const key = table.candidateKeys[0] ?? table.columns[0]?.name;
  if (key === undefined) {
    throw new LicbridgeError(ErrorCodes.USAGE, `discover: draft failed: table ${table.name} has no columns`);
  }
  const cursor = table.candidateCursors[0];
  const used = new Set<string>();
  const lines = [
    `# Draft mapping for table ${table.name} of source ${source} (${table.rowCount} rows at discovery).`,
    '# Every column is listed below as a commented rule. Uncomment the ones the license needs,',
    '# move each to the license field it fills, and add transforms (trim, upper, halfWidth, date,',
    '# split, …) and lookups. `licbridge test` runs mapping tests kept next to this file.',
    `# Pipeline stream suggestion: { table: ${table.name}, key: ${key}${cursor ? `, cursor: ${cursor}` : ''} }`,
    `description: ${q(`Draft mapping for ${table.name} from source ${source}.`)}`,
    '# Columns holding a person’s name or ID number: their values are masked in quarantine reasons.',
    '# personal: [COLUMN, …]',
    'fields:',
    '  # The license number (证照编号): point it at the column that holds it.',
    `  number: { from: ${q(key)}, transform: [trim], required: true }`,
    '  # holder.name: { from: COLUMN, transform: [trim], required: true }',
    '  # holder.idType: { const: "001" }   # 001 credit code, 111 resident ID',
    '  # holder.id: { from: COLUMN, transform: [trim, halfWidth, upper], required: true }',
    '  # issueDate: { from: COLUMN, transform: [trim, { date: [yyyyMMdd, yyyy-MM-dd] }], required: true }',
    '  # validFrom: { from: COLUMN, transform: [trim, { date: [yyyyMMdd, yyyy-MM-dd] }], required: true }',
    '  # validTo: { from: COLUMN, transform: [trim, { date: [yyyyMMdd, yyyy-MM-dd] }] }',
    '  # status: { from: COLUMN, transform: [trim], lookup: { "1": valid, "0": revoked }, required: true }',
    '  # areaCode: { from: COLUMN, transform: [trim] }',
    '  #',
    `  # The ${table.columns.length} columns of ${table.name}:`,
  ];
  table.columns.forEach((c, i) => {
    const notes = [c.type, c.nullable ? 'nullable' : 'not null'];
    if (table.candidateKeys.includes(c.name)) notes.push('candidate key');
    if (table.candidateCursors.includes(c.name)) notes.push('candidate cursor');
    lines.push(
      `  # surface.${surfaceName(c.name, i, used)}: { from: ${q(c.name)}, transform: [trim] }   # ${notes.join(', ')}`,
    );
  });
  return `${lines.join('\n')}\n`;
}

async function writeDraft(
  source: string,
  tables: readonly TableInfo[],
  file: string,
  force: boolean,
): Promise<string> {
  const [table, ...more] = tables;
  if (!table || more.length > 0) {
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `discover: --draft-mapping needs exactly one table; found ${tables.length}: name it with --table`,
    );
  }
  const path = resolve(file);
  if (existsSync(path) && !force) {
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `discover: draft failed: ${path} exists; pass --force to overwrite it`,
      { context: { file: path } },
    );
  }
  const text = draftMapping(source, table);
  // The skeleton must compile as written; a failure here is a bug in the draft, not the user's.
  compileMappingText(text, path);
  await writeFile(path, text);
  return path;
}
