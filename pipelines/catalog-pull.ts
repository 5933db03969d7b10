/**
 * Pulling a platform's published license types into catalog files for review: one YAML file per
 * type, written to a folder beside the live catalog (never into it), each headed with where and
 * when it came from.
 */
import { createHash } from 'node:crypto';
import { open, readdir, readFile, realpath } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { writeFileAtomic } from '../adapters/documents/atomic-file.js';
import { fetchCatalogTypes } from '../adapters/platforms/rest-json/catalog-fetch.js';
import { sharesCredentials } from '../adapters/platforms/shared/auth/create-auth.js';
import type { Config } from '../config/types.js';
import { ErrorCodes, LicbridgeError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { terminalLine } from '../core/terminal-text.js';
import { openTokenShare } from './credential-share.js';

/** Whether two folders are one, through symbolic links too; a folder not there yet is its path. */
async function sameFolder(a: string, b: string): Promise<boolean> {
  const real = (p: string) => realpath(p).catch(() => p);
  return (await real(a)) === (await real(b));
}

/** License type codes become file names: only the code alphabet is allowed through. */
const TYPE_CODE = /^[0-9A-Z]{10,40}$/;

export interface PulledCatalog {
  /** The files written, absolute. */
  written: string[];
  /** Codes refused as file names, made safe to show (one line, at most 40 characters). */
  skipped: string[];
  /**
   * Entries that are no usable license type, each with its place in the list and what it lacks
   * (`entry 2 (code …): no \`name\` text`): a platform that renamed its fields says so here.
   */
  incomplete: string[];
  /**
   * Catalog files already in the folder that this pull did not write, absolute: types an earlier
   * pull wrote and the platform no longer publishes (withdrawn, renumbered). Kept — a reviewer may
   * have edited them — but named, so they are not moved into the catalog as published.
   */
  notPublished: string[];
  /**
   * Files written whose definition differs from the one an earlier pull wrote there, absolute: the
   * platform changed the type (its fields, its name), so a reviewer who moved the earlier file
   * into the catalog reviews it again. Edits made to the file since do not count (`edited`).
   */
  changed: string[];
  /**
   * Files written whose text had been edited since the earlier pull wrote them (it no longer
   * matches the definition digest its header records), absolute: those edits are replaced.
   */
  edited: string[];
}

/** A published entry with its code and name, or what keeps it from being one. */
function usable(
  entry: unknown,
  place: number,
): { type: Record<string, unknown> & { code: string; name: string } } | { lacks: string } {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    return { lacks: `entry ${place}: not an object` };
  }
  const { code, name } = entry as { code?: unknown; name?: unknown };
  const lacks = [
    ...(typeof code === 'string' ? [] : ['no `code` text']),
    ...(typeof name === 'string' ? [] : ['no `name` text']),
  ];
  if (typeof code === 'string' && typeof name === 'string') {
    return { type: { ...(entry as Record<string, unknown>), code, name } };
  }
  const shown = typeof code === 'string' ? ` (code ${terminalLine(code).slice(0, 40)})` : '';
  return { lacks: `entry ${place}${shown}: ${lacks.join(', ')}` };
}

/**
 * Fetches the license types the rest-json target `target` publishes and writes one file per type
 * to `out` (resolved against the working directory; default `<catalog>/pulled/<target>`). What the
 * request's authentication warns of (the queue's Redis out of reach) goes to `options.logger`, the
 * command's: on the root logger, the command's level and format did not apply to it.
 */
export async function pullCatalog(
  config: Readonly<Config>,
  target: string,
  out: string | undefined,
  options: { logger?: Logger } = {},
): Promise<PulledCatalog> {
  const t = config.targets[target];
  if (t?.kind !== 'rest-json') {
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `catalog pull: \`${target}\` is not a rest-json target in ${config.file}`,
    );
  }
  const folder = out ? resolve(out) : join(config.catalog, 'pulled', target);
  // Files written there would be loaded unreviewed by the next run, a live entry replaced by its code.
  if (out && (await sameFolder(folder, resolve(config.catalog)))) {
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `catalog pull: --out \`${terminalLine(out)}\` is the live catalog ${config.catalog} (\`catalog\` in ${config.file}): pulled types are written beside it for review; omit --out (${join(config.catalog, 'pulled', target)}) or name another folder`,
    );
  }
  // The workers' token (or refreshed secret), shared through the queue's Redis: one fetched for the
  // pull alone would retire theirs where the platform keeps one per client. Redis out of reach, the
  // pull fetches its own (token-share.ts).
  const opened = sharesCredentials(t.auth) ? openTokenShare(config.queue) : undefined;
  let entries: unknown[];
  try {
    entries = await fetchCatalogTypes(target, t, {
      ...(opened ? { tokenShare: opened.share } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
    });
  } finally {
    opened?.close();
  }
  // Every entry judged before any file is written: when none is usable, nothing is.
  const skipped: string[] = [];
  const incomplete: string[] = [];
  // What keeps each unusable entry out, in list order, for the failure's message.
  const refused: string[] = [];
  const types: (Record<string, unknown> & { code: string })[] = [];
  const firstOf = new Map<string, number>();
  // Every code the platform lists, written now or not: an entry skipped for a missing name is
  // still published, and its earlier file no type withdrawn (notPublished).
  const listed = new Set<string>();
  for (const [i, entry] of entries.entries()) {
    const code = (entry as { code?: unknown } | null)?.code;
    if (typeof code === 'string') listed.add(`${code}.yaml`);
    const c = usable(entry, i + 1);
    if (!('type' in c)) {
      incomplete.push(c.lacks);
      refused.push(c.lacks);
      continue;
    }
    const { type } = c;
    if (!TYPE_CODE.test(type.code)) {
      // The platform's own text: shown, but never able to steer the terminal.
      const shown = terminalLine(type.code).slice(0, 40);
      skipped.push(shown);
      refused.push(`entry ${i + 1} (code ${shown}): the code cannot name a file`);
      continue;
    }
    // One file per code: a later entry of the same code would silently replace the first.
    const first = firstOf.get(type.code);
    if (first !== undefined) {
      incomplete.push(`entry ${i + 1} (code ${type.code}): the code of entry ${first} again`);
      continue;
    }
    firstOf.set(type.code, i + 1);
    types.push(type);
  }
  if (entries.length > 0 && types.length === 0) {
    // The platform's catalog is not what this release reads (fields renamed, codes of another
    // form), and the files of an earlier pull are still the best there is.
    const origin = new URL(t.url).origin;
    const why =
      incomplete.length === entries.length
        ? `has a \`code\` and a \`name\` (${incomplete[0]})`
        : `is a usable license type (${refused.slice(0, 3).join('; ')}${refused.length > 3 ? '; …' : ''})`;
    throw new LicbridgeError(
      ErrorCodes.TARGET_REJECTED,
      `target ${target}: catalog from ${origin} failed: none of its ${entries.length} entries ${why}; nothing was written`,
      { context: { target } },
    );
  }
  const written: string[] = [];
  const changed: string[] = [];
  const edited: string[] = [];
  const ours = `# Pulled from target \`${target}\``;
  for (const type of types) {
    const file = join(folder, `${type.code}.yaml`);
    const body = stringify(type);
    const digest = definitionDigest(body);
    const header = `${ours} on ${new Date().toISOString()} (definition ${digest}). Review, then move into the catalog.\n`;
    const before = await earlierPull(file, ours);
    // Whole or not at all: an interrupted pull leaves each earlier file as it was, never cut short.
    await writeFileAtomic(file, Buffer.from(header + body));
    written.push(file);
    if (before === undefined) continue;
    // The platform's earlier definition is the one the header records, whatever was edited since;
    // a file of a release that recorded none is compared as it stands.
    if (before.recorded === undefined ? before.body !== body : before.recorded !== digest) changed.push(file);
    if (before.recorded !== undefined && definitionDigest(before.body) !== before.recorded) edited.push(file);
  }
  const candidates = (await readdir(folder).catch(() => [] as string[]))
    .filter((n) => /\.ya?ml$/i.test(n) && !listed.has(n))
    .sort()
    .map((n) => join(folder, n));
  // Only what a pull from this target wrote (its header): another target's pull into the same
  // `--out`, or a reviewer's own file, is no type this platform withdrew.
  const notPublished: string[] = [];
  for (const file of candidates) if ((await firstBytes(file, ours.length)) === ours) notPublished.push(file);
  return { written, skipped, incomplete, notPublished, changed, edited };
}

/** The digest a pulled file's header records of the definition written below it. */
const definitionDigest = (body: string): string =>
  `sha256:${createHash('sha256').update(body).digest('hex').slice(0, 16)}`;

/**
 * The file an earlier pull from this target wrote to `file`: the text after its header line and
 * the definition digest the header records (none from earlier releases); undefined when there is
 * no such file (a first pull, another target's, a reviewer's).
 */
async function earlierPull(
  file: string,
  header: string,
): Promise<{ body: string; recorded?: string } | undefined> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined || !text.startsWith(header)) return undefined;
  const end = text.indexOf('\n');
  if (end < 0) return undefined;
  const recorded = /\(definition (sha256:[0-9a-f]{16})\)/.exec(text.slice(0, end))?.[1];
  return { body: text.slice(end + 1), ...(recorded === undefined ? {} : { recorded }) };
}

/** The first `n` bytes of `file` as text; '' when it cannot be read. */
async function firstBytes(file: string, n: number): Promise<string> {
  try {
    const handle = await open(file, 'r');
    try {
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(n), 0, n, 0);
      return buffer.subarray(0, bytesRead).toString('utf8');
    } finally {
      await handle.close();
    }
  } catch {
    return '';
  }
}
