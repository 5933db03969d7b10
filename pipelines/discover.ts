/**
 * Discovery: what a legacy source holds — tables (or an export's record path), columns, types,
 * row counts, key and cursor candidates — and the draft mapping written from one table, a
 * skeleton listing every column for the engineer to fill. The source is only read.
 */
import { lstatSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Config } from '../config/types.js';
import { sourceKind } from '../connectors/kinds.js';
import { openSource } from '../connectors/open-source.js';
import type { TableInfo } from '../connectors/source.js';
import { kindDateTimeTypes } from '../connectors/sql/discover.js';
import { ErrorCodes, LicbridgeError } from '../core/errors.js';
import { compileMappingText } from '../mappings/compile.js';
import { lifecycleSettings } from './lifecycle/settings.js';
import { refuseOutsideReadWindow } from './read-window.js';

export interface DiscoverOptions {
  /** Only this table (for xml-files: the record path). */
  table?: string;
  /** Tables looked at so far, of how many; `done` is 0 when only the total is known. */
  onProgress?: (done: number, total: number) => void;
}

export interface Discovery {
  kind: string;
  tables: TableInfo[];
}

function sourceConfigOf(config: Config, sourceName: string): Config['sources'][string] {
  const sourceConfig = config.sources[sourceName];
  if (!sourceConfig) {
    const known = Object.keys(config.sources).join(', ') || 'none';
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `discover: unknown source \`${sourceName}\` (defined in ${config.file}: ${known})`,
    );
  }
  return sourceConfig;
}

/** Opens the named source, checks the connection and lists its tables; the source is closed after. */
export async function discoverSource(
  config: Config,
  sourceName: string,
  options: DiscoverOptions = {},
): Promise<Discovery> {
  const sourceConfig = sourceConfigOf(config, sourceName);
  // Counting a table's rows is a full scan: not outside the hours the department allows.
  refuseOutsideReadWindow(config, 'discover', sourceName, new Date());
  const source = await openSource(sourceName, sourceConfig, { timeZone: lifecycleSettings(config).timeZone });
  try {
    await source.checkConnection();
    const tables = await source.discover({
      ...(options.table === undefined ? {} : { table: options.table }),
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    });
    return { kind: sourceConfig.kind, tables: withKeyNotes(config, sourceName, tables) };
  } finally {
    await source.close();
  }
}

/**
 * The tables with a note for each pipeline reading one of them by a key column that allows NULL
 * and is not alone a primary key or unique: rows whose key is NULL or empty are quarantined, not
 * licensed (docs/connectors.md), and a department that leaves the column empty loses those rows.
 */
export function withKeyNotes(config: Config, sourceName: string, tables: TableInfo[]): TableInfo[] {
  return tables.map((table) => {
    const notes = [...(table.notes ?? [])];
    for (const [name, pipeline] of Object.entries(config.pipelines)) {
      const stream = pipeline.stream;
      if (pipeline.source !== sourceName || stream.query !== undefined) continue;
      if (stream.table.toUpperCase() !== table.name.toUpperCase()) continue;
      const key = table.columns.find((c) => c.name.toUpperCase() === stream.key.toUpperCase());
      if (!key?.nullable || table.candidateKeys.includes(key.name)) continue;
      notes.push(
        `pipeline ${name} reads by key column \`${key.name}\`, which allows NULL and is not alone a primary key or unique: rows where it is NULL or empty are quarantined (LB_SOURCE_KEY_MISSING), not licensed; ask the department for a NOT NULL unique key, or name a column that is one`,
      );
    }
    return notes.length > 0 ? { ...table, notes } : table;
  });
}

const SEGMENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A `surface.<name>` segment for a column: lowercase, other characters as `_`, else `column<i>`. */
function surfaceName(column: string, index: number, used: Set<string>): string {
  let name = column.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  if (!SEGMENT.test(name) || /^_+$/.test(name)) name = `column${index + 1}`;
  while (used.has(name)) name = `${name}_`;
  used.add(name);
  return name;
}

/**
 * Whether the kind's dates come as dates: a database server's driver hands them over so, a
 * database file (SQLite's declared DATETIME) and export files (an inferred date) as text stored.
 */
const serverValues = (kind: string | undefined): boolean =>
  kind !== undefined && sourceKind(kind)?.shape === 'sql-server';

// SQL Server's bit, PostgreSQL's and KingbaseES's boolean: true or false from the driver.
const BOOLEAN_TYPE = /^(bit|bool|boolean)$/i;

/**
 * What a column's commented rule suggests after its `from`. A server's driver hands a date or
 * timestamp column over as a date, which `trim` refuses (LB_MAP_TYPE, every row): `date` reads its
 * day. SQL Server's `timestamp` is a row version, not a time; a time of day alone is not a date.
 * A boolean it hands over as true or false, which `trim` refuses too: no transform.
 * `dateTimeTypes`: the dialect's own (connectors/sql/discover.ts `kindDateTimeTypes`), as the
 * cursor candidates are found: a type whose name merely holds `date` (a PostgreSQL enum
 * `update_stage`, a MySQL `enum('new','updated')`) is text, which `date` refuses. Absent, the
 * type's name is guessed from.
 */
function columnRule(type: string, kind: string | undefined, dateTimeTypes: RegExp | undefined): string {
  if (!serverValues(kind)) return ', transform: [trim]';
  if (BOOLEAN_TYPE.test(type)) return '';
  const isDate = dateTimeTypes
    ? dateTimeTypes.test(type.trim())
    : /date/i.test(type) || (kind !== 'mssql' && /timestamp/i.test(type));
  return isDate ? ', transform: [{ date: [yyyy-MM-dd] }]' : ', transform: [trim]';
}

/**
 * The mapping skeleton: one live rule (so it compiles) and every column as a commented rule.
 * `kind`: the source's kind, which tells whether its date columns come as dates or as text;
 * `dateTimeTypes`: its dialect's date/time types (`kindDateTimeTypes`), guessed from names when absent.
 */
export function draftMapping(
  source: string,
  table: TableInfo,
  kind?: string,
  dateTimeTypes?: RegExp,
): string {
  const q = (s: string) => JSON.stringify(s);
  // The first column keeps the draft compiling; it is suggested as the stream's key only when unique.
  const key = table.candidateKeys[0];
  const numberFrom = key ?? table.columns[0]?.name;
  if (numberFrom === undefined) {
    throw new LicbridgeError(ErrorCodes.USAGE, `discover: draft failed: table ${table.name} has no columns`);
  }
  const cursor = table.candidateCursors[0];
  const used = new Set<string>();
  const lines = [
    `# Draft mapping for table ${table.name} of source ${source} (${table.rowCount} rows at discovery).`,
    '# Every column is listed below as a commented rule. Uncomment the ones the license needs,',
    '# move each to the license field it fills, and add transforms (trim, upper, halfWidth, date,',
    '# split, …) and lookups. `licbridge test` runs mapping tests kept next to this file.',
    key
      ? `# Pipeline stream suggestion: { table: ${table.name}, key: ${key}${cursor ? `, cursor: ${cursor}` : ''} }`
      : `# No single-column key found in ${table.name}: a stream needs a unique, non-null key column (ask the department for one, or read a view or query that has one).`,
    `description: ${q(`Draft mapping for ${table.name} from source ${source}.`)}`,
    '# Columns holding a person’s name or ID number: their values are masked in quarantine reasons.',
    '# personal: [COLUMN, …]',
    'fields:',
    '  # The license number (证照编号): point it at the column that holds it.',
    `  number: { from: ${q(numberFrom)}, transform: [trim], required: true }`,
    '  # holder.name: { from: COLUMN, transform: [trim], required: true }',
    '  # holder.idType: { const: "001" }   # 001 credit code, 111 resident ID',
    '  # holder.id: { from: COLUMN, transform: [trim, halfWidth, upper], required: true }',
    // `date` trims text itself; a `trim` before it refuses the date a server's driver hands over.
    '  # issueDate: { from: COLUMN, transform: [{ date: [yyyyMMdd, yyyy-MM-dd] }], required: true }',
    '  # validFrom: { from: COLUMN, transform: [{ date: [yyyyMMdd, yyyy-MM-dd] }], required: true }',
    '  # validTo: { from: COLUMN, transform: [{ date: [yyyyMMdd, yyyy-MM-dd] }] }',
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
      `  # surface.${surfaceName(c.name, i, used)}: { from: ${q(c.name)}${columnRule(c.type, kind, dateTimeTypes)} }   # ${notes.join(', ')}`,
    );
  });
  return `${lines.join('\n')}\n`;
}

/**
 * A `--draft-mapping` request checked before the source is read, so that it is not refused after
 * discovery has counted the rows of every table (a full scan each on a production database): a
 * database source needs `--table` (an export folder has one record path), and the file must be
 * writable — in a folder that exists, and not there already unless `force`. Returns its path.
 */
export function checkDraftRequest(
  config: Config,
  sourceName: string,
  table: string | undefined,
  file: string,
  force: boolean,
): string {
  const { kind } = sourceConfigOf(config, sourceName);
  if (table === undefined && kind !== 'xml-files') {
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `discover: --draft-mapping needs one table: name it with --table (source ${sourceName} is of kind \`${kind}\`; its tables are listed without --draft-mapping)`,
    );
  }
  const path = resolve(file);
  refuseDraftPath(path, force);
  return path;
}

function refuseDraftPath(path: string, force: boolean): void {
  // lstat, not exists: a symbolic link to nothing is there too (and `wx` would refuse it later).
  if (lstatSync(path, { throwIfNoEntry: false }) !== undefined && !force) {
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `discover: draft failed: ${path} exists; pass --force to overwrite it`,
      { context: { file: path } },
    );
  }
  const folder = dirname(path);
  if (!statSync(folder, { throwIfNoEntry: false })?.isDirectory()) {
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `discover: draft failed: cannot write ${path}: folder ${folder} does not exist`,
      { context: { file: path } },
    );
  }
}

/**
 * Writes the draft mapping of the one table discovered to `file` (resolved against the working
 * directory) and returns its absolute path. An existing file is kept unless `force`.
 */
export async function writeDraftMapping(
  source: string,
  tables: readonly TableInfo[],
  file: string,
  force: boolean,
  /** The source's kind: whether its date columns come as dates (see `draftMapping`). */
  kind?: string,
): Promise<string> {
  const [table, ...more] = tables;
  if (!table || more.length > 0) {
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `discover: --draft-mapping needs exactly one table; found ${tables.length}: name it with --table`,
    );
  }
  const path = resolve(file);
  refuseDraftPath(path, force);
  const text = draftMapping(
    source,
    table,
    kind,
    kind === undefined ? undefined : await kindDateTimeTypes(kind),
  );
  // The skeleton must compile as written; a failure here is a bug in the draft, not the user's.
  compileMappingText(text, path);
  // `wx`: a file that appeared since the check is kept all the same.
  await writeFile(path, text, { flag: force ? 'w' : 'wx' }).catch((e: unknown) => {
    const code = (e as { code?: unknown }).code;
    const why = code === 'EEXIST' ? 'it exists; pass --force to overwrite it' : String(code ?? e);
    throw new LicbridgeError(ErrorCodes.USAGE, `discover: draft failed: cannot write ${path}: ${why}`, {
      context: { file: path },
      cause: e,
    });
  });
  return path;
}
