import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { parseDocument, visit } from 'yaml';
import { sourceKind } from '../connectors/kinds.js';
import { ConfigError, formatProblem, type Problem } from '../core/errors.js';
import { utf8Text } from '../core/not-utf8.js';
import { readSqliteLedgerUrl, sqliteLedgerUrl } from '../core/sqlite-ledger-url.js';
import { yamlErrorMessage } from '../core/yaml-anchors.js';
import { editorLineCounter } from '../core/yaml-line-counter.js';
import { calendarProblems } from './calendar-problems.js';
import { cronProblems } from './cron-problems.js';
import { crossReferenceProblems } from './cross-refs.js';
import { inheritedNameProblems } from './inherited-name-problems.js';
import { recordKeyRefFiles } from './key-refs.js';
import { libDirProblems } from './lib-dir-problems.js';
import { momentProblems } from './moment-problems.js';
import { numberFormProblems } from './number-form-problems.js';
import { oracleSourceProblems } from './oracle-source-problems.js';
import { portProblems } from './port-problems.js';
import { queryParamsProblems } from './query-params-problems.js';
import { reminderReferenceProblems } from './reminder-refs.js';
import { configSchema } from './schema.js';
import { withSchemaDefaults } from './schema-defaults.js';
import { schemaProblems } from './schema-problems.js';
import { secretCommentProblems } from './secret-comment-problems.js';
import { SECRET_KEYS } from './secret-keys.js';
import { serveAuthProblems } from './serve-auth-problems.js';
import { serveHostProblems } from './serve-host-problems.js';
import { streamKindProblems } from './stream-kind-problems.js';
import { signerKindProblems, targetKindProblems } from './target-problems.js';
import { tildePathProblems } from './tilde-path-problems.js';
import { timeZoneProblems } from './time-zone-problems.js';
import type { Config } from './types.js';
import { urlProblems } from './url-problems.js';
import { VALIDATOR_OPTIONS } from './validator-options.js';
import { yamlErrorTexts } from './yaml-error-text.js';
import { buildTree, dottedPath, type NodeInfo } from './yaml-tree.js';

/**
 * parse → resolve `${…}` → validate (validator compiled once) → check cross-references →
 * apply every schema default → make paths absolute → freeze. Every problem found is reported at once, each with its file,
 * line and column, so one edit-run cycle fixes them all.
 */

type Validate = ValidateFunction<unknown>;

// A variable, so TypeScript does not look for a module that exists only in dist/.
const GENERATED = './config-validator.generated.js';
let validator: Validate | undefined;

/**
 * Loads the validator `npm run build` compiled ahead of time (scripts/compile-config-validator.mjs),
 * so a command does not spend most of its start compiling the schema. Without it (tests run from
 * the TypeScript sources) the validator is compiled on first use instead.
 */
async function loadPrebuiltValidator(): Promise<void> {
  if (validator) return;
  try {
    validator = ((await import(GENERATED)) as { default: Validate }).default;
  } catch {
    // Not built: compiled from the schema on first use.
  }
}

/** The config validator, once per process. */
function configValidator(): Validate {
  validator ??= new Ajv(VALIDATOR_OPTIONS).compile(configSchema);
  return validator;
}

/** The file looked for when neither `file` nor `LICBRIDGE_CONFIG` names one. */
export const DEFAULT_CONFIG_FILE = 'licbridge.yaml';

export interface LoadConfigOptions {
  /**
   * Config file, relative to `cwd`.
   * @defaultValue `env.LICBRIDGE_CONFIG`, else `<cwd>/licbridge.yaml`
   */
  file?: string;
  /**
   * Environment that `LICBRIDGE_CONFIG` and `${env:…}` references are read from.
   * @defaultValue `process.env`
   */
  env?: NodeJS.ProcessEnv;
  /**
   * Folder a relative `file` is resolved against.
   * @defaultValue `process.cwd()`
   */
  cwd?: string;
}

export interface ParseConfigOptions {
  /** Absolute path the text came from; relative paths and `${file:…}` resolve against its folder. */
  file: string;
  /** @defaultValue `process.env` */
  env?: NodeJS.ProcessEnv;
}

/** Find, read and validate the config. Throws one `ConfigError` holding every problem. */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<Readonly<Config>> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const fromEnv = env.LICBRIDGE_CONFIG === '' ? undefined : env.LICBRIDGE_CONFIG;
  const chosen = options.file ?? fromEnv ?? DEFAULT_CONFIG_FILE;
  const file = resolve(cwd, chosen);
  let bytes: Uint8Array;
  await loadPrebuiltValidator();
  try {
    bytes = await readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException | undefined)?.code;
    const why =
      code === 'ENOENT' ? 'config file not found' : `cannot read config file (${code ?? 'unreadable'})`;
    const how =
      options.file !== undefined
        ? ''
        : fromEnv !== undefined
          ? ' (named by LICBRIDGE_CONFIG)'
          : '; pass one with --config or set LICBRIDGE_CONFIG';
    throw new ConfigError([{ file, line: 1, column: 1, path: '', message: `${why}${how}` }], { cause: e });
  }
  // A GBK file read as UTF-8 would load, issuer names and all, as U+FFFD: refused alone.
  const { text, problem } = utf8Text(bytes, file);
  if (problem) throw new ConfigError([problem]);
  return parseConfig(text, { file, env });
}

/** Validate config text already read from `options.file`. */
export function parseConfig(text: string, options: ParseConfigOptions): Readonly<Config> {
  const file = options.file;
  const baseDir = dirname(file);
  // Positions as an editor shows them, after a byte order mark (core/yaml-line-counter.ts).
  const lines = editorLineCounter(text);
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    // The tree is unreliable after a syntax error; report these alone.
    const aliasStarts = aliasesGoingOn(doc);
    const said = new Set<number>();
    const problems: Problem[] = [];
    // The parser's words, without the text of the file some of them quote (a secret, it may be).
    const messages = yamlErrorTexts(doc.errors.map((e) => yamlErrorMessage(e, text)));
    for (const [i, e] of doc.errors.entries()) {
      const alias =
        e.code === 'UNEXPECTED_TOKEN'
          ? aliasStarts.find((a) => a[0] < e.pos[0] && e.pos[0] <= a[1])
          : undefined;
      if (alias !== undefined) {
        if (said.has(alias[0])) continue;
        said.add(alias[0]);
        const p = lines.linePos(alias[0]);
        problems.push({ file, line: p.line, column: p.col, path: '', message: `YAML: ${ALIAS_GOING_ON}` });
        continue;
      }
      const worded = messages[i];
      if (worded === undefined) continue;
      const p = lines.linePos(e.pos[0]);
      const message = e.code === 'DUPLICATE_KEY' ? duplicateKey(text, e.pos[0]) : worded;
      problems.push({ file, line: p.line, column: p.col, path: '', message: `YAML: ${message}` });
    }
    throw new ConfigError(problems);
  }

  const tree = buildTree(doc, lines, { env: options.env ?? process.env, baseDir });
  if (tree.data === null || tree.data === undefined) {
    throw new ConfigError([{ file, line: 1, column: 1, path: '', message: 'the config file is empty' }]);
  }
  const problems: Problem[] = tree.problems.map((p) => ({
    file,
    line: p.at.line,
    column: p.at.column,
    path: dottedPath(p.segments),
    message: p.message,
  }));
  // The parser only warns about a tag it does not know and keeps the text: `secret: !env NAME`
  // would be the secret `NAME`.
  for (const w of doc.warnings) {
    if (w.code !== 'TAG_RESOLVE_FAILED') continue;
    const p = lines.linePos(w.pos[0]);
    const tag = /^!{1,2}[^\s]{0,40}/.exec(text.slice(w.pos[0]))?.[0] ?? 'tag';
    // The tagged value: the first node after the tag on its line.
    const node = [...tree.nodes.values()]
      .filter((n) => n.value.line === p.line && n.value.column >= p.col)
      .sort((a, b) => a.value.column - b.value.column)[0];
    problems.push({
      file,
      line: p.line,
      column: p.col,
      path: node ? dottedPath(node.segments) : '',
      message: secretAsTag(node, tree.data, tag)
        ? `YAML: a secret starting with \`!\` is read as a tag (not shown); quote it, or write \`\${env:NAME}\` or \`\${file:path}\` inside a string`
        : `YAML: unknown tag \`${tag}\`; write \`\${env:NAME}\` or \`\${file:path}\` inside a string instead`,
    });
  }
  const validate = configValidator();
  const valid = validate(tree.data);
  if (!valid) problems.push(...schemaProblems(validate.errors ?? [], tree, file));
  problems.push(...targetKindProblems(tree, file, valid ? [] : (validate.errors ?? [])));
  problems.push(...signerKindProblems(tree, file, valid ? [] : (validate.errors ?? [])));
  problems.push(
    ...oracleSourceProblems(tree, file, valid ? [] : (validate.errors ?? []).map((e) => e.instancePath)),
  );
  problems.push(...crossReferenceProblems(tree, file));
  problems.push(...inheritedNameProblems(tree, file));
  problems.push(...streamKindProblems(tree, file));
  problems.push(...queryParamsProblems(tree, file));
  problems.push(
    ...numberFormProblems(tree, file, valid ? [] : (validate.errors ?? []).map((e) => e.instancePath)),
  );
  problems.push(...calendarProblems(tree, file));
  problems.push(...reminderReferenceProblems(tree, file));
  problems.push(...urlProblems(tree, file));
  problems.push(...portProblems(tree, file));
  problems.push(
    ...serveHostProblems(tree, file, valid ? [] : (validate.errors ?? []).map((e) => e.instancePath)),
  );
  problems.push(
    ...serveAuthProblems(tree, file, valid ? [] : (validate.errors ?? []).map((e) => e.instancePath)),
  );
  problems.push(...libDirProblems(tree, file));
  problems.push(...tildePathProblems(tree, file));
  problems.push(...momentProblems(tree, file));
  problems.push(
    ...timeZoneProblems(tree, file, valid ? [] : (validate.errors ?? []).map((e) => e.instancePath)),
  );
  problems.push(...cronProblems(tree, file, valid ? [] : (validate.errors ?? []).map((e) => e.instancePath)));
  problems.push(...secretCommentProblems(doc.contents, text, lines, file));
  if (problems.length > 0) {
    problems.sort((a, b) => a.line - b.line || a.column - b.column);
    throw new ConfigError(problems);
  }

  // ajv filled the defaults its evaluation reached; this fills every other one the schema declares.
  const data = withSchemaDefaults(configSchema, tree.data as Record<string, unknown>);
  resolvePaths(data, baseDir);
  resolveEffectiveSettings(data);
  recordKeyRefFiles(data, tree, { env: options.env ?? process.env, baseDir });
  namedMapsWithoutPrototype(data);
  return deepFreeze({ file, ...data }) as unknown as Readonly<Config>;
}

/**
 * A tag under a secret's key: `password: !Qw3rty#9` is a password YAML read as a tag, and quoting
 * the tag would print the password. (`secret: !env NAME` tags a value with a reference tag: shown.)
 */
function secretAsTag(node: NodeInfo | undefined, data: unknown, tag: string): boolean {
  const last = node?.segments[node.segments.length - 1];
  if (node === undefined || typeof last !== 'string' || !SECRET_KEYS.has(last)) return false;
  let value = data;
  for (const s of node.segments) value = (value as Record<string | number, unknown> | null)?.[s];
  if (value === '' || value === null || value === undefined) return true;
  // `passphrase: !my own words` tags `own words`: the tag is the secret's start. Only a tag
  // naming a reference (`!env`, `!file`, …) is shown.
  return !REFERENCE_TAG.test(tag);
}

/** Tags other tools read references with: under a secret's key, the only ones shown. */
const REFERENCE_TAG = /^!(?:env|ENV|file|include|secret|vault|ref|!str)$/;

/**
 * An unquoted value starting with `*` that goes on after its first word (a cron expression every
 * quarter hour) is an alias followed by more: the parser said "Unexpected alias at node end" once for
 * each further word, never that the value wants quotes. Said once, at the value. (The value is not
 * quoted: it may be a secret.)
 */
const ALIAS_GOING_ON =
  'the value starts with `*`, which YAML reads as an alias, and goes on after it (an unquoted cron expression such as `*/15 * * * *` does); to keep it as text, quote the whole value ("…" or \'…\')';

/** [start, end] of each alias node that has more after its name (the parser's node end). */
function aliasesGoingOn(doc: ReturnType<typeof parseDocument>): [number, number][] {
  const found: [number, number][] = [];
  visit(doc, {
    Alias(_, node) {
      const range = node.range;
      if (range && range[2] > range[1]) found.push([range[0], range[2]]);
    },
  });
  return found;
}

/** `duplicate key \`catalog\`` — the key's text read back from where the parser points. */
function duplicateKey(text: string, offset: number): string {
  const key = /^\s*["']?([^"':\n]{1,60})/.exec(text.slice(offset))?.[1]?.trim();
  return key ? `duplicate key \`${key}\`` : 'duplicate key';
}

/** One problem per line: `file:line:col: path: message`. */
export function formatConfigError(e: ConfigError): string {
  return e.problems.map(formatProblem).join('\n');
}

/** Paths in the config are relative to the config file, not to wherever licbridge was started. */
function resolvePaths(data: Record<string, unknown>, baseDir: string): void {
  const abs = (p: unknown) => (typeof p === 'string' ? resolve(baseDir, p) : p);
  const ledger = data.ledger as Record<string, unknown>;
  ledger.url = resolveLedgerUrl(String(ledger.url), baseDir);
  data.catalog = abs(data.catalog);
  for (const s of entries(data.sources)) {
    if (sourceKind(String(s.kind))?.shape !== 'sql-server') s.path = abs(s.path);
  }
  for (const p of entries(data.pipelines)) p.mapping = abs(p.mapping);
  for (const s of entries(data.signers)) if (s.certificate !== undefined) s.certificate = abs(s.certificate);
  for (const t of entries(data.trust)) t.file = abs(t.file);
  for (const s of entries(data.seals)) s.file = abs(s.file);
  // Oracle Instant Client's folder (thick mode), of a source or a front database: handed to the
  // driver as written, it was looked for under whatever folder licbridge was started in. One
  // starting with `~` was refused (lib-dir-problems.ts).
  for (const c of [...entries(data.sources), ...entries(data.targets)]) {
    const connection = c.connection as Record<string, unknown> | undefined;
    if (typeof connection?.libDir === 'string' && connection.libDir !== '')
      connection.libDir = abs(connection.libDir);
  }
}

/**
 * Settings a pipeline may take from its source are settled here, once: a pipeline's page size is
 * its own, else its source's (whose schema default is already applied). Code reads the result.
 */
function resolveEffectiveSettings(data: Record<string, unknown>): void {
  const sources = (data.sources ?? {}) as Record<string, Record<string, unknown> | undefined>;
  for (const p of entries(data.pipelines)) {
    if (p.pageSize === undefined) p.pageSize = sources[String(p.source)]?.pageSize;
  }
}

/**
 * `sqlite://./data/ledger.db` → `sqlite:///abs/data/ledger.db`, the folder's `%` and `?` encoded
 * so the URL reads back as the file (core/sqlite-ledger-url.ts); `sqlite://:memory:` and other
 * URLs stay. A URL that reader refuses was reported by urlProblems and is left as written.
 */
export function resolveLedgerUrl(url: string, baseDir: string): string {
  const read = readSqliteLedgerUrl(url, baseDir);
  return read !== undefined && 'file' in read ? sqliteLedgerUrl(read.file) : url;
}

/** The sections keyed by names the config chooses (schema `namedMap`s and the like). */
const NAMED_MAPS: readonly (readonly string[])[] = [
  ['sources'],
  ['pipelines'],
  ['signers'],
  ['trust'],
  ['seals'],
  ['targets'],
  ['lifecycle', 'reminders'],
  ['calendar', 'years'],
];

/**
 * Each map keyed by a chosen name, rebuilt without a prototype: with one, a name every object
 * inherits (`toString`, `constructor`, `__proto__`) passed `name in config.pipelines` and
 * `config.pipelines[name]` gave a function, so `run toString` went on with a pipeline of
 * `undefined`s. Without one, only the config's own names are found, however looked up.
 */
function namedMapsWithoutPrototype(data: Record<string, unknown>): void {
  for (const path of NAMED_MAPS) {
    let parent: Record<string, unknown> | undefined = data;
    for (const key of path.slice(0, -1)) {
      const next: unknown = parent?.[key];
      parent = next !== null && typeof next === 'object' ? (next as Record<string, unknown>) : undefined;
    }
    const last = path[path.length - 1] as string;
    const map = parent?.[last];
    if (parent === undefined || map === null || typeof map !== 'object' || Array.isArray(map)) continue;
    parent[last] = Object.assign(Object.create(null) as Record<string, unknown>, map);
  }
}

function entries(section: unknown): Record<string, unknown>[] {
  if (section === null || typeof section !== 'object') return [];
  return Object.values(section).filter(
    (v): v is Record<string, unknown> => v !== null && typeof v === 'object',
  );
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
