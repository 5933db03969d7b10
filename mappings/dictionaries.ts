/**
 * Code tables (码表) for `lookup`: a mapping's `dictionaries:` section names tables written inline
 * or kept in files (`{ file: ./codes/ztyt.yaml }` — a YAML map — or `.csv` with `code,value` lines),
 * so one table serves several fields and several mappings. Files are read by the caller
 * (compileMapping) and handed over as text: compiling stays pure.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import { isAlias, isMap, isScalar, isSeq, type Pair } from 'yaml';
import { parsedYaml, problemAt, type YamlSource } from '../catalog/yaml-source.js';
import type { Problem } from '../core/errors.js';
import { asWritten, yamlNodeAt } from './as-written.js';

/** A code table: code text → value. */
export type Dictionary = ReadonlyMap<string, string | number | boolean | null>;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const isPlain = (v: unknown): v is string | number | boolean | null =>
  v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/** Absolute path of a dictionary file named in the mapping file `mappingFile`. */
export function dictionaryPath(mappingFile: string, file: string): string {
  return isAbsolute(file) ? file : resolve(dirname(mappingFile), file);
}

/** The dictionary files a parsed mapping names (absolute paths), for the caller to read. */
export function dictionaryFiles(data: unknown, mappingFile: string): string[] {
  if (!isRecord(data) || !isRecord(data.dictionaries)) return [];
  return Object.values(data.dictionaries).flatMap((d) =>
    isRecord(d) && typeof d.file === 'string' ? [dictionaryPath(mappingFile, d.file)] : [],
  );
}

/** An inline table; undefined (and a problem) when a value is not plain. */
export function inlineDictionary(
  table: Record<string, unknown>,
  src: YamlSource,
  at: readonly (string | number)[],
  problems: Problem[],
): Dictionary | undefined {
  const bad = Object.keys(table).find((k) => !isPlain(table[k]));
  if (bad !== undefined) {
    problems.push(problemAt(src, [...at, bad], `expected code \`${bad}\` to map to a plain value`));
    return undefined;
  }
  const node = yamlNodeAt(src, at);
  if (!isMap(node)) return new Map(Object.entries(table) as [string, string | number | boolean | null][]);
  // Codes and values as written (asWritten); the parsed table supplies what an alias stands for.
  const out = new Map<string, string | number | boolean | null>();
  const before = problems.length;
  const entry = (pair: Pair): { key: string; parsedKey: string; value: unknown } => {
    const parsedKey = String(isScalar(pair.key) ? pair.key.value : pair.key);
    const written = isAlias(pair.value) ? pair.value.resolve(src.doc) : pair.value;
    const value = isScalar(written) ? asWritten(written, written.value) : table[parsedKey];
    return { key: String(asWritten(pair.key, parsedKey)), parsedKey, value };
  };
  const merged: Pair[] = [];
  for (const pair of node.items) {
    if (isMergeKey(pair.key)) {
      merged.push(...mergedPairs(pair.value, src));
      continue;
    }
    const { key, parsedKey, value } = entry(pair);
    // `01` and "01" are the same code once `01` is read as written.
    if (out.has(key))
      problems.push(problemAt(src, [...at, parsedKey], `code \`${key}\` is listed twice`, true));
    out.set(key, value as string | number | boolean | null);
  }
  // YAML 1.1 merge keys (`<<: *base`): a code written in the table wins, then the earlier table.
  for (const pair of merged) {
    const { key, value } = entry(pair);
    if (!out.has(key)) out.set(key, value as string | number | boolean | null);
  }
  return problems.length > before ? undefined : out;
}

/** A YAML 1.1 merge key (`<<`), which a document of that version reads as one (the `yaml` package's Symbol). */
const isMergeKey = (key: unknown): boolean =>
  isScalar(key) && typeof key.value === 'symbol' && key.value.description === '<<';

/**
 * The pairs a merge key's value brings in (`*base`, or `[*a, *b]`), each table's own pairs before
 * the ones it merges in turn, in order: the first pair of a code is the one that counts.
 */
function mergedPairs(value: unknown, src: YamlSource, depth = 0): Pair[] {
  const node = isAlias(value) ? value.resolve(src.doc) : value;
  if (depth > 64) return [];
  if (isSeq(node)) return node.items.flatMap((item) => mergedPairs(item, src, depth + 1));
  if (!isMap(node)) return [];
  const own = node.items.filter((p) => !isMergeKey(p.key));
  const inner = node.items
    .filter((p) => isMergeKey(p.key))
    .flatMap((p) => mergedPairs(p.value, src, depth + 1));
  return [...own, ...inner];
}

/**
 * One CSV field from `from`: a quoted field (RFC 4180, `""` a quote inside it) or the text up to
 * `stop` (a comma for the code; the line's end for the value, which may hold commas), trimmed.
 * A spreadsheet quotes a field holding a comma or a quote, and may quote every field: the quotes
 * are not part of the code or value. A string is what is wrong with the field.
 */
function csvField(line: string, from: number, stop: ',' | 'end'): { text: string; next: number } | string {
  let at = from;
  while (line.charAt(at) === ' ' || line.charAt(at) === '\t') at++;
  if (line.charAt(at) !== '"') {
    const end = stop === ',' ? line.indexOf(',', from) : line.length;
    if (end < 0) return 'expected `code,value`';
    return { text: line.slice(from, end).trim(), next: end };
  }
  let text = '';
  let i = at + 1;
  for (;;) {
    const quote = line.indexOf('"', i);
    if (quote < 0) return 'a quoted field has no closing quote';
    text += line.slice(i, quote);
    if (line.charAt(quote + 1) === '"') {
      text += '"';
      i = quote + 2;
      continue;
    }
    i = quote + 1;
    break;
  }
  while (line.charAt(i) === ' ' || line.charAt(i) === '\t') i++;
  if (stop === ',' && line.charAt(i) !== ',') return 'expected `code,value`';
  if (stop === 'end' && i < line.length) return 'text after the closing quote of the value';
  return { text, next: i };
}

function parseCsv(text: string, file: string, problems: Problem[]): Dictionary | undefined {
  const table = new Map<string, string>();
  // A CR alone ends a line too: Excel for Mac saves CSV so, and read as one line the file was a
  // single code whose value held every other line, a `fallback` standing in for every row.
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n?|\n/);
  const before = problems.length;
  // The header is the first row, after any comments and blank lines above it: a file opening with
  // a comment took its `code,value` for a code `code`. Each code's line, to name the first listing.
  let first = true;
  const listedOn = new Map<string, number>();
  lines.forEach((line, i) => {
    if (line.trim() === '' || line.startsWith('#')) return;
    const header = first;
    first = false;
    const where = { file, line: i + 1, column: 1, path: '' };
    const code = csvField(line, 0, ',');
    if (typeof code === 'string') {
      problems.push({ ...where, message: code });
      return;
    }
    const value = csvField(line, code.next + 1, 'end');
    if (typeof value === 'string') {
      problems.push({ ...where, message: value });
      return;
    }
    if (header && code.text === 'code' && value.text === 'value') return;
    const listed = listedOn.get(code.text);
    if (listed !== undefined) {
      problems.push({ ...where, message: `code \`${code.text}\` is listed twice (first on line ${listed})` });
      return;
    }
    listedOn.set(code.text, i + 1);
    table.set(code.text, value.text);
  });
  return problems.length > before ? undefined : table;
}

function parseYamlTable(text: string, file: string, problems: Problem[]): Dictionary | undefined {
  const parsed = parsedYaml(text, file, problems);
  if (!parsed) return undefined;
  const { src, data } = parsed;
  if (!isMap(src.doc.contents) || !isRecord(data)) {
    problems.push(problemAt(src, [], 'expected a map of codes to values'));
    return undefined;
  }
  // Read as an inline table is: codes and values as written, aliases (`"01": *valid`) and YAML 1.1
  // merge keys followed. Reading each pair's node alone took an alias for a value that is not plain.
  return inlineDictionary(data, src, [], problems);
}

/**
 * Builds the `dictionaries:` section. `files` holds the text of every file it names (absolute
 * path → text); a file missing from it was not readable, for the reason `unreadable` gives, and
 * one in `damaged` is not UTF-8 (core/not-utf8.ts), refused at its first damaged line.
 */
export function buildDictionaries(
  raw: unknown,
  src: YamlSource,
  files: ReadonlyMap<string, string>,
  problems: Problem[],
  unreadable?: ReadonlyMap<string, string>,
  damaged?: ReadonlyMap<string, Problem>,
): Map<string, Dictionary> {
  const out = new Map<string, Dictionary>();
  if (raw === undefined) return out;
  if (!isRecord(raw)) {
    problems.push(problemAt(src, ['dictionaries'], 'expected `dictionaries` to map names to code tables'));
    return out;
  }
  for (const [name, table] of Object.entries(raw)) {
    const at = ['dictionaries', name];
    if (!isRecord(table)) {
      problems.push(problemAt(src, at, 'expected a map of codes to values, or { file: path }'));
      continue;
    }
    const keys = Object.keys(table);
    if (keys.length === 1 && keys[0] === 'file' && typeof table.file === 'string') {
      const path = dictionaryPath(src.file, table.file);
      const text = files.get(path);
      if (text === undefined) {
        const why = unreadable?.get(path);
        const message = `dictionary file ${path} is not readable${why ? `: ${why}` : ''}`;
        problems.push(problemAt(src, [...at, 'file'], message));
        continue;
      }
      // A GBK table read as UTF-8 holds U+FFFD for every Chinese value: refused, not looked up.
      const notUtf8 = damaged?.get(path);
      if (notUtf8) {
        problems.push(notUtf8);
        continue;
      }
      const dict = /\.csv$/i.test(path)
        ? parseCsv(text, path, problems)
        : parseYamlTable(text, path, problems);
      if (dict) out.set(name, dict);
      continue;
    }
    const dict = inlineDictionary(table, src, at, problems);
    if (dict) out.set(name, dict);
  }
  return out;
}
