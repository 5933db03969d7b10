/**
 * Which rules produced a version: the effective configuration a process that acts starts with
 * (`licbridge run`, a worker, `sign backfill`, `lifecycle run`, a repair, an upheld objection, a
 * dead-letter replay), recorded in the audit chain as a
 * `config` entry when its digest differs from the last one recorded (ledger/config-changes.ts);
 * recorded again as the process compiles a pipeline's mapping and the catalog (pipelines/runtime.ts),
 * with the parts of the files it compiled (`HeldParts`), so a file edited in between is in the chain.
 *
 * The configuration is cut into parts, each with its own SM3 digest: every pipeline, source,
 * signer, seal and target entry, the lifecycle and calendar sections (the JCS of the entry as
 * loaded, defaults filled in), every mapping file and dictionary file it names, and every catalog
 * file (their bytes). The entry's digest is the SM3 of the JCS object of those digests, so it is
 * recomputed from the entry's detail alone. Ledger, queue, log, serve and metrics settings say
 * where licbridge keeps its own state, not what it issues or where it sends it: left out.
 *
 * A secret is never hashed (SM3 of a short password is found by trying them all): a value read
 * through `${env:…}` or `${file:…}` counts as its reference as written (a secret's without the
 * `:-default` of an `${env:NAME:-default}`), a value under a secret's key written in the file as
 * `[secret]`, and a URL's password as `[secret]`.
 */
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { parse } from 'yaml';
import { jcs } from '../catalog/canonical.js';
import { sm3Hex } from '../catalog/sm3.js';
import { SECRET_KEYS, secretQueryParam, urlWithPassword } from '../config/secret-keys.js';
import type { Config } from '../config/types.js';
import type { Logger } from '../core/logger.js';
import { RecentMap } from '../core/recent-map.js';
import { refPlaceholder, scrubSecrets } from '../core/scrub.js';
import { operatorActor } from '../ledger/audit-chain.js';
import type { ConfigChanges } from '../ledger/config-changes.js';
import { dictionaryFiles } from '../mappings/dictionaries.js';

/** What a secret counts as when no reference stands behind it. */
const SECRET = '[secret]';
/** `${env:NAME:-default}`: NAME is group 1. */
const ENV_DEFAULT = /\$\{env:([^}:]*):-[^}]*\}/g;
/** A reference as written: `${env:NAME}`, `${env:NAME:-default}`, `${file:path}`. */
const REFERENCE = /(\$\{[^}]*\})/;
/** A URL's user and password as written, references in them taken whole: groups 1 (to the `:`) and 2. */
const URL_PASSWORD_REF = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/(?:\$\{[^}]*\}|[^@\s:])*:)((?:\$\{[^}]*\}|[^@\s])*)@/;
/** A URL's query parameter (group 2 its name, 3 its value), references in the value taken whole. */
const QUERY_PARAM = /([?&])([^=&#]*)=((?:\$\{[^}]*\}|[^&#])*)/g;
/** A file that could not be read when the digest was taken: its part says so. */
const UNREADABLE = 'unreadable';

export interface ConfigDigest {
  /** SM3 of the JCS object `parts`. */
  digest: string;
  /** Part id (`pipeline:food`, `mapping:mappings/food.yaml`, `catalog:food.yaml`) -> SM3. */
  parts: Record<string, string>;
}

/**
 * Files a process compiled and keeps using, each as the parts digested from the bytes it read then:
 * the catalog (every `catalog:` part) and, per mapping file, its `mapping:` and `dictionary:` parts.
 * A file edited since is recorded as the process uses it, not as it now is on disk.
 */
export interface HeldParts {
  catalog?: Readonly<Record<string, string>>;
  mappings?: ReadonlyMap<string, Readonly<Record<string, string>>>;
}

/**
 * The digest of the effective configuration and of each of its parts; the files in `held` as the
 * process compiled them, the others as they are on disk.
 */
export async function configDigest(config: Readonly<Config>, held: HeldParts = {}): Promise<ConfigDigest> {
  const written = await writtenConfig(config.file);
  const parts: Record<string, string> = {};
  const sections = ['pipelines', 'sources', 'signers', 'seals', 'targets'] as const;
  const kinds = {
    pipelines: 'pipeline',
    sources: 'source',
    signers: 'signer',
    seals: 'seal',
    targets: 'target',
  };
  for (const section of sections) {
    for (const [name, value] of Object.entries(config[section] ?? {})) {
      parts[`${kinds[section]}:${name}`] = sm3Hex(jcs(safe(value, [section, name], written)));
    }
  }
  for (const section of ['lifecycle', 'calendar'] as const) {
    const value = config[section];
    if (value !== undefined) parts[section] = sm3Hex(jcs(safe(value, [section], written)));
  }
  for (const file of new Set(Object.values(config.pipelines).map((p) => p.mapping))) {
    Object.assign(parts, held.mappings?.get(file) ?? (await mappingParts(config, file)));
  }
  Object.assign(parts, held.catalog ?? (await catalogParts(config)));
  return { digest: sm3Hex(jcs(parts)), parts };
}

/**
 * `compile` run between two reads of the parts of the files it reads, again (at most three times)
 * while they differ: a file saved during the compile would otherwise be recorded as other bytes
 * than those compiled. The parts are those read before and after it, the same.
 */
export async function compiledWithParts<T>(
  parts: () => Promise<Record<string, string>>,
  compile: () => Promise<T>,
): Promise<{ value: T; parts: Record<string, string> }> {
  for (let attempt = 1; ; attempt++) {
    const before = await parts();
    const value = await compile();
    const after = await parts();
    if (jcs(before) === jcs(after) || attempt === 3) return { value, parts: after };
  }
}

/** A part's name for a file: its path from the config's folder. */
function partName(config: Readonly<Config>, path: string): string {
  return relative(dirname(config.file), path).split(sep).join('/');
}

/** The `mapping:` part of a mapping file and the `dictionary:` parts of the files it names, by their bytes. */
export async function mappingParts(config: Readonly<Config>, file: string): Promise<Record<string, string>> {
  const parts: Record<string, string> = {};
  const bytes = await readFile(file).catch(() => undefined);
  parts[`mapping:${partName(config, file)}`] = bytes === undefined ? UNREADABLE : sm3Hex(bytes);
  for (const dictionary of bytes === undefined ? [] : namedDictionaries(bytes, file)) {
    const read = await readFile(dictionary).catch(() => undefined);
    parts[`dictionary:${partName(config, dictionary)}`] = read === undefined ? UNREADABLE : sm3Hex(read);
  }
  return parts;
}

/** The `catalog:` part of every catalog file, by its bytes. */
export async function catalogParts(config: Readonly<Config>): Promise<Record<string, string>> {
  const parts: Record<string, string> = {};
  const catalog = await readdir(config.catalog).catch(() => [] as string[]);
  for (const file of catalog.filter((n) => /\.ya?ml$/i.test(n)).sort()) {
    const bytes = await readFile(join(config.catalog, file)).catch(() => undefined);
    parts[`catalog:${file}`] = bytes === undefined ? UNREADABLE : sm3Hex(bytes);
  }
  return parts;
}

/**
 * Appends a `config` entry when the process's configuration differs from the last one the chain
 * records; nothing when it is the same. The actor is the operator who started the process
 * (docs/audit.md): the one who put this configuration in force, attended or not.
 */
export async function recordConfigChange(
  config: Readonly<Config>,
  store: ConfigChanges,
  logger: Logger,
  held: HeldParts = {},
): Promise<boolean> {
  const actor = operatorActor();
  const { digest, parts } = await configDigest(config, held);
  const recorded = await store.record({ actor, digest, parts });
  if (recorded)
    logger.info({ digest, parts: Object.keys(parts).length }, 'audit: configuration change recorded');
  return recorded;
}

/** A file's bytes as last read here, and what was made of them. */
interface Made<T> {
  bytes: Buffer;
  value: T;
}

/** At most this many files' last bytes are kept per kind (the first kept goes first). */
const MADE_FILES = 32;

/**
 * `make(bytes)` for the bytes read from `file`, made again only when the file reads otherwise, byte
 * for byte: a process digests its mapping before and after every compile, and reads its config file
 * again for every record, most often unchanged; parsing the same bytes gives the same answer.
 */
function madeOnce<T>(made: RecentMap<string, Made<T>>, file: string, bytes: Buffer, make: () => T): T {
  const kept = made.peek(file);
  if (kept?.bytes.equals(bytes)) return kept.value;
  const value = make();
  made.set(file, { bytes, value });
  return value;
}

const dictionariesMade = new RecentMap<string, Made<readonly string[]>>(MADE_FILES);
const configsMade = new RecentMap<string, Made<unknown>>(MADE_FILES);

/** The dictionary files a mapping names (mappings/dictionaries.ts); none when it does not parse. */
function namedDictionaries(bytes: Buffer, file: string): readonly string[] {
  return madeOnce(dictionariesMade, file, bytes, () => {
    try {
      return dictionaryFiles(parse(new TextDecoder().decode(bytes)), file);
    } catch {
      return [];
    }
  });
}

/**
 * The config file as written, references unresolved; undefined when it cannot be read again. The
 * value may be one made earlier from the same bytes: read only, never changed.
 */
async function writtenConfig(file: string): Promise<unknown> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch {
    return undefined;
  }
  return madeOnce(configsMade, file, bytes, () => {
    try {
      return parse(bytes.toString('utf8'), { maxAliasCount: 10_000 });
    } catch {
      return undefined;
    }
  });
}

/** `text` with its references kept (a secret's without its `:-default`) and the text between them as `[secret]`. */
function literalsHidden(text: string): string {
  return text
    .split(REFERENCE)
    .map((piece, i) => (i % 2 === 1 ? piece.replace(ENV_DEFAULT, '$${env:$1}') : piece === '' ? '' : SECRET))
    .join('');
}

/** A URL's password and its secret query parameters as `literalsHidden` has them; other text as it is. */
function urlSecretsHidden(text: string): string {
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(text)) return text;
  const query = (param: string, sep: string, name: string, v: string) =>
    secretQueryParam(name) && v !== '' ? `${sep}${name}=${literalsHidden(v)}` : param;
  return text
    .replace(URL_PASSWORD_REF, (_, head: string, pw: string) => `${head}${literalsHidden(pw)}@`)
    .replace(QUERY_PARAM, query);
}

/** `value` with every secret replaced by its reference or `[secret]`, undefined members left out. */
function safe(value: unknown, at: readonly string[], written: unknown): unknown {
  const asWritten = at.reduce<unknown>(
    (w, k) => (w !== null && typeof w === 'object' ? (w as Record<string, unknown>)[k] : undefined),
    written,
  );
  if (typeof value === 'string') {
    const key = at[at.length - 1];
    const secretKey = key !== undefined && SECRET_KEYS.has(key);
    // The scalar as written holds a reference: that is what counts, never what it resolved to. A
    // secret's `${env:NAME:-default}` counts as `${env:NAME}`: its default is a secret written down.
    // Text written beside a reference (`pw-${env:X}`, `https://lb:pw@${env:HOST}`) is no reference:
    // a secret's or a URL password's literal text counts as `[secret]`, the references as written.
    if (typeof asWritten === 'string' && asWritten.includes('${')) {
      if (secretKey) return literalsHidden(asWritten);
      const hidden = urlSecretsHidden(asWritten);
      return urlWithPassword(value) ? hidden.replace(ENV_DEFAULT, '$${env:$1}') : hidden;
    }
    if (secretKey) return refPlaceholder(value) ?? SECRET;
    return urlSecretsHidden(scrubSecrets(value));
  }
  if (Array.isArray(value)) return value.map((v, i) => safe(v, [...at, String(i)], written));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = safe(v, [...at, k], written);
    return out;
  }
  return value;
}
